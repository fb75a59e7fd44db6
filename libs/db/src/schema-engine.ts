import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as WasmSchemaEngine } from '@prisma/schema-engine-wasm';

type EngineModule = typeof import('@prisma/schema-engine-wasm');
type WasmExports = Record<string, unknown>;
// Node has WebAssembly; TypeScript declares it only with the DOM library, which services must not see.
const { WebAssembly: Wasm } = globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }>;
  };
};

let enginePromise: Promise<EngineModule> | undefined;

// The package's entry imports the .wasm file as an ES module, which Node 20 only allows behind
// --experimental-wasm-modules; instantiating the same bytes by hand works with no flag.
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const dynamicImport = new Function('specifier', 'return import(specifier)') as (
      s: string,
    ) => Promise<unknown>;
    const bgFile = path.join(pkgDir, 'schema_engine_bg.js');
    // Jest's module sandbox has no dynamic import; there the file is transpiled to CommonJS (jest.config.js).
    const bg = (await dynamicImport(bgFile).catch((err: Error) => {
      if (!/dynamic import callback/.test(err.message)) throw err;
      return require(bgFile) as unknown;
    })) as EngineModule & { __wbg_set_wasm(exports: WasmExports): void };
    const bytes = await readFile(path.join(pkgDir, 'schema_engine_bg.wasm'));
    const { instance } = await Wasm.instantiate(bytes, { './schema_engine_bg.js': bg as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return enginePromise;
}

// The engine describes a database by reading pg_catalog, whose `"char"` columns (OID 18) the pg driver
// adapter refuses as an unsupported type; their values are one-letter strings, so they are read as text.
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
function readCharAsText(res: pg.QueryResult | undefined): void {
  for (const field of res?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
}
class CatalogClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (err: Error | null, res: pg.QueryResult) => {
        readCharAsText(res);
        callback(err, res);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((res: pg.QueryResult) => (readCharAsText(res), res)) as never;
    }
    return result as never;
  }
}

type ScriptAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * Sends a migration script whole, as one simple query, as Prisma's native engine does: PostgreSQL parses it
 * (a `DO $$ … $$` block, a `;` inside a string) and runs it as one implicit transaction, so a failing migration
 * leaves nothing half-applied. adapter-pg's own `executeScript` splits the text on every `;`.
 */
function sendingScriptsWhole(adapter: ScriptAdapter): ScriptAdapter {
  const driver = adapter.underlyingDriver() as pg.Pool;
  const toAdapterError = (adapter as unknown as { onError(err: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    await driver.query(script).catch(toAdapterError);
  };
  return adapter;
}

class WholeScriptPg extends PrismaPg {
  override async connect(): Promise<ScriptAdapter> {
    return sendingScriptsWhole(await super.connect());
  }

  override async connectToShadowDb(): Promise<ScriptAdapter> {
    return sendingScriptsWhole(await super.connectToShadowDb());
  }
}

/** A Prisma schema engine (WebAssembly) connected to one PostgreSQL database; `close()` frees both. */
export interface OpenEngine {
  engine: WasmSchemaEngine;
  close(): Promise<void>;
}

export async function openSchemaEngine(
  databaseUrl: string,
  schema?: { path: string; content: string },
): Promise<OpenEngine> {
  const mod = await loadEngineModule();
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    Client: CatalogClient,
    allowExitOnIdle: true,
  });
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg(pool));
  const datamodels: [string, string][] | undefined = schema ? [[schema.path, schema.content]] : undefined;
  const engine = await mod.SchemaEngine.new({ datamodels }, () => undefined, adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}

/** Reads `prisma/migrations` the way `prisma migrate deploy` does. */
export async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir).catch(() => [] as string[]);
  const dirs: string[] = [];
  for (const name of entries.sort()) {
    if ((await stat(path.join(migrationsDir, name))).isDirectory()) dirs.push(name);
  }
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(migrationsDir, dir, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (err: Error) => ({ tag: 'error' as const, value: err.message }),
        );
        return { path: dir, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

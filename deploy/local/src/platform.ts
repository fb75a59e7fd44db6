import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDatabase, migrateDeploy, withDatabase } from '@helpdesk/db';
import type { LocalConfig } from './config';
import type { PrivateInstance } from './infra/instance';
import { ensureInfrastructure, type Infrastructure } from './infra/infrastructure';
import { takenPorts } from './infra/ports';
import { Output } from './log-prefixer';
import { loadMailSecrets } from './mail-secrets';
import { loadSecrets, type PlatformSecrets } from './secrets';
import { runSeed } from './seed';
import { SERVICES, databaseNameFor, serviceEnv, startOrder, type ServiceSpec } from './services';
import { Supervisor, reapLeftoverServices } from './supervisor';

const SEED_SCRIPT = 'services/identity/src/seed-demo.ts';
const SEED_DATABASE = 'identity';

export interface PlatformUrls {
  gateway: string;
  apiDocs: string;
  openApi: string;
  postgres: string;
  nats: string;
  redis: string;
  /** Per service with a database, its URL. */
  databases: Record<string, string>;
}

export interface Platform {
  urls: PlatformUrls;
  tenantId: string;
  /** The demo tenant's slug (its portal is `<gateway>/portal/<slug>`). */
  tenantSlug: string;
  admin: { email: string; password: string; created: boolean };
  secrets: PlatformSecrets;
  /** Servers the runner started (empty when every URL answered). */
  privateInfrastructure: Array<{ name: string; url: string; pid: number }>;
  services: Array<{ name: string; pid: number }>;
  /** Services in reverse order (SIGTERM, SIGKILL after 10 s), then private infrastructure. Idempotent. */
  stop(opts?: { force?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Where the prefixed output goes (default: stdout, formatted per the config). */
  output?: Output;
  /** Aborting stops whatever has started and rejects. */
  signal?: AbortSignal;
  /** A service gave up after too many crashes (default: logged only). */
  onServiceFailed?: (name: string, error: Error) => void;
  services?: readonly ServiceSpec[];
}

class Aborted extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('start-up aborted');
  }
}

/** Brings up infrastructure, databases, demo data and every service; answers once the gateway is ready. */
export async function startPlatform(config: LocalConfig, opts: StartOptions = {}): Promise<Platform> {
  const specs = startOrder(opts.services ?? SERVICES);
  const output = opts.output ?? new Output(process.stdout, { pretty: config.pretty, color: config.color }, specs.map((s) => s.name));
  const signal = opts.signal;
  const instances: PrivateInstance[] = [];
  const pidDir = path.join(config.localDir, 'run');
  const supervisor = new Supervisor(output, { onGiveUp: (name, error) => opts.onServiceFailed?.(name, error), pidDir });
  let stopping: Promise<void> | undefined;
  let forced: Promise<void> | undefined;

  const killOnExit = () => {
    supervisor.killAllNow();
    for (const i of instances) {
      if (i.shared) continue;
      try {
        process.kill(i.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killOnExit);

  let forcing = false;
  const stopAll = async (force: boolean) => {
    if (force) forcing = true;
    await supervisor.stopAll(force);
    for (const instance of [...instances].reverse()) {
      // A forced stop took over from this graceful one.
      if (!force && forcing) return;
      if (!force) output.info(`stopping private ${instance.name}`);
      await instance.stop(force).catch((err: Error) => output.error(`${instance.name} did not stop cleanly: ${err.message}`));
    }
    process.off('exit', killOnExit);
  };
  const stop = ({ force = false } = {}): Promise<void> => {
    if (force) return (forced ??= stopAll(true));
    // When a forced stop takes over, this one ends with it.
    return (stopping ??= stopAll(false).then(() => forced));
  };
  const register = (instance: PrivateInstance) => {
    instances.push(instance);
    // Started after an abort already stopped everything else.
    if (stopping) void instance.stop(true);
  };
  const step = async <T>(work: Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new Aborted();
    if (!signal) return work;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', (onAbort = () => reject(new Aborted())), { once: true }));
    work.catch(() => undefined);
    try {
      return await Promise.race([work, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  };

  try {
    const reaped = await step(reapLeftoverServices(pidDir));
    if (reaped.length > 0) output.warn(`stopped ${reaped.join(', ')} left running by an earlier run that was killed`);
    const ports = specs.flatMap((s) => s.ports(config));
    const taken = await takenPorts(ports);
    if (taken.length > 0) {
      throw new Error(
        `port${taken.length > 1 ? 's' : ''} already in use: ${taken.map((t) => `${t.port} (set ${t.variable} to move it)`).join(', ')}`,
      );
    }
    const secrets = loadSecrets(config.localDir, config.secrets);
    if (secrets.source.jwtSecret === 'generated' || secrets.source.operatorToken === 'generated') {
      output.info(`generated the JWT secret and operator token once; kept in ${secrets.file}`);
    }

    const infra: Infrastructure = await step(ensureInfrastructure(config, output, register, signal));

    const databases: Record<string, string> = {};
    for (const spec of specs) {
      if (!spec.database) continue;
      const url = withDatabase(infra.postgresUrl, databaseNameFor(config.dbPrefix, spec.database));
      databases[spec.name] = url;
      const created = await step(ensureDatabase(url));
      const applied = await step(migrateDeploy(path.join(config.repoRoot, spec.dir), url));
      const name = databaseNameFor(config.dbPrefix, spec.database);
      const hasMigrations = existsSync(path.join(config.repoRoot, spec.dir, 'prisma', 'migrations'));
      const state = applied.length
        ? `applied ${applied.length} migration${applied.length > 1 ? 's' : ''} (${applied.join(', ')})`
        : hasMigrations
          ? 'migrations up to date'
          : `no migrations in ${spec.dir}/prisma/migrations`;
      output.info(`database ${name}: ${created ? 'created, ' : ''}${state}`);
    }

    const seedDatabase = databases[SEED_DATABASE];
    if (!seedDatabase) throw new Error(`the demo seed needs the ${SEED_DATABASE} service's database`);
    if (!existsSync(path.join(config.repoRoot, SEED_SCRIPT))) throw new Error(`the demo seed ${SEED_SCRIPT} is missing`);
    const seed = await step(
      runSeed({
        cwd: config.repoRoot,
        script: SEED_SCRIPT,
        env: {
          ...config.baseEnv,
          DATABASE_URL: seedDatabase,
          NATS_URL: infra.natsUrl,
          LOG_LEVEL: config.logLevel,
          HELPDESK_ADMIN_EMAIL: config.admin.email,
          HELPDESK_ADMIN_PASSWORD: config.admin.password,
          ...(config.busPrefix ? { BUS_PREFIX: config.busPrefix } : {}),
        },
        output,
        timeoutMs: 60_000,
        signal,
      }),
    );
    output.info(`demo tenant ${seed.tenantId} ${seed.created ? 'created' : 'already there'} (admin ${seed.adminEmail})`);

    const mailSecrets = loadMailSecrets(config.localDir, config.secrets);
    const ctxBase = {
      config,
      infra,
      secrets: {
        jwtSecret: secrets.jwtSecret,
        operatorToken: secrets.operatorToken,
        mailSecretKey: mailSecrets.mailSecretKey,
        messageIdSecret: mailSecrets.messageIdSecret,
      },
    };
    for (const spec of specs) {
      const entry = path.join(spec.dir, spec.entry);
      if (!existsSync(path.join(config.repoRoot, entry))) throw new Error(`service ${spec.name}: ${entry} is missing`);
      const began = Date.now();
      output.info(`starting ${spec.name}`);
      await step(
        supervisor.start(
          {
            name: spec.name,
            command: process.execPath,
            args: ['--import', 'tsx', entry],
            cwd: config.repoRoot,
            env: serviceEnv(spec, { ...ctxBase, databaseUrl: databases[spec.name] }),
            readyUrl: spec.readyUrl(config),
          },
          config.readyTimeoutMs,
          signal,
        ),
      );
      output.info(`${spec.name} is ready (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    }

    const gateway = `http://localhost:${config.ports.gateway}`;
    return {
      urls: {
        gateway,
        apiDocs: `${gateway}/api/docs`,
        openApi: `${gateway}/api/v1/openapi.json`,
        postgres: infra.postgresUrl,
        nats: infra.natsUrl,
        redis: infra.redisUrl,
        databases,
      },
      tenantId: seed.tenantId,
      tenantSlug: seed.slug,
      admin: {
        email: seed.adminEmail,
        password: config.admin.password,
        created: seed.created,
      },
      secrets,
      privateInfrastructure: instances.map((i) => ({ name: i.name, url: i.url, pid: i.pid })),
      services: supervisor.running(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

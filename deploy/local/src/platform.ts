import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDatabase, migrateDeploy, withDatabase } from '@helpdesk/db';
import { startTcpBalancer, type TcpBalancer } from '@helpdesk/platform';
import type { LocalConfig } from './config';
import type { PrivateInstance } from './infra/instance';
import { ensureInfrastructure, type Infrastructure } from './infra/infrastructure';
import { takenPorts } from './infra/ports';
import { Output } from './log-prefixer';
import { loadMailSecrets } from './mail-secrets';
import { loadSecrets, type PlatformSecrets } from './secrets';
import { cacheHits, generationUpToDate, recordGeneration, runGenerate } from './generate';
import { buildWeb } from './web-build';
import { migrationsUpToDate, readAppliedMigrations, readMigrationFiles } from './migrations';
import { planReplicas, type ReplicaProcess } from './replicas';
import { runSeed } from './seed';
import {
  SEED_CONFIG_SCHEMA,
  SEED_SERVICE,
  SERVICES,
  databaseNameFor,
  serviceEnv,
  serviceEnvIssues,
  sharedVariablesFor,
  startOrder,
  type ServiceSpec,
} from './services';
import { Supervisor, reapLeftoverServices } from './supervisor';

const SEED_SCRIPT = SEED_SERVICE.script;
const SEED_DATABASE = SEED_SERVICE.name;

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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Starts `work` now; its rejection is seen where it is awaited, never as an unhandled one meanwhile. */
function runTimed<T>(work: () => Promise<T>): Promise<T> {
  const p = work();
  p.catch(() => undefined);
  return p;
}

/** Creates the service's database if needed and applies pending migrations; up to date is read without the engine. */
async function prepareDatabase(
  config: LocalConfig,
  spec: ServiceSpec,
  url: string,
  output: Output,
): Promise<void> {
  const name = databaseNameFor(config.dbPrefix, spec.database!);
  const serviceDir = path.join(config.repoRoot, spec.dir);
  const created = await ensureDatabase(url);
  const files = await readMigrationFiles(serviceDir);
  let state: string;
  if (files.length === 0) {
    state = `no migrations in ${spec.dir}/prisma/migrations`;
  } else if (!created && migrationsUpToDate(files, (await readAppliedMigrations(url)) ?? [])) {
    // the WebAssembly schema engine costs seconds of CPU per database; a glance at _prisma_migrations does not
    state = 'migrations up to date';
  } else {
    const applied = await migrateDeploy(serviceDir, url);
    state = applied.length
      ? `applied ${applied.length} migration${applied.length > 1 ? 's' : ''} (${applied.join(', ')})`
      : 'migrations up to date';
  }
  output.info(`database ${name}: ${created ? 'created, ' : ''}${state}`);
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
  const output =
    opts.output ??
    new Output(
      process.stdout,
      { pretty: config.pretty, color: config.color },
      specs.map((s) => s.name),
    );
  const signal = opts.signal;
  // Ends the helpers started beside each other (generation, seed) when start-up fails or is aborted.
  const helpers = new AbortController();
  signal?.addEventListener('abort', () => helpers.abort(), { once: true });
  const instances: PrivateInstance[] = [];
  const pidDir = path.join(config.localDir, 'run');
  const supervisor = new Supervisor(output, {
    onGiveUp: (name, error) => opts.onServiceFailed?.(name, error),
    pidDir,
  });
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
  const balancers: TcpBalancer[] = [];
  const stopAll = async (force: boolean) => {
    if (force) forcing = true;
    await Promise.all(balancers.splice(0).map((b) => b.close()));
    await supervisor.stopAll(force);
    for (const instance of [...instances].reverse()) {
      // A forced stop took over from this graceful one.
      if (!force && forcing) return;
      if (!force) output.info(`stopping private ${instance.name}`);
      await instance
        .stop(force)
        .catch((err: Error) => output.error(`${instance.name} did not stop cleanly: ${err.message}`));
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
    const aborted = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', (onAbort = () => reject(new Aborted())), { once: true }),
    );
    work.catch(() => undefined);
    try {
      return await Promise.race([work, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  };

  try {
    const reaped = await step(reapLeftoverServices(pidDir));
    if (reaped.length > 0)
      output.warn(`stopped ${reaped.join(', ')} left running by an earlier run that was killed`);
    const plan = planReplicas(config.ports, config.replicas, config.replicaPortBase);
    const replicaConfig = (p: ReplicaProcess): LocalConfig => ({
      ...config,
      ports: { ...config.ports, [p.service]: p.ports },
    });
    const processesOf = (spec: ServiceSpec) => plan.processes[spec.name] ?? [];
    const ports = [
      ...specs.flatMap((s) =>
        processesOf(s).flatMap((p) =>
          s.ports(replicaConfig(p)).map((port) => ({
            ...port,
            variable: p.index === 1 ? port.variable : `HELPDESK_REPLICA_PORT_BASE (${p.name})`,
          })),
        ),
      ),
      ...plan.balanced.map((b) => ({
        port: b.port,
        variable:
          specs
            .find((s) => s.name === b.service)
            ?.ports(config)
            .find((p) => p.port === b.port)?.variable ?? b.service,
      })),
    ];
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

    // Generation (contracts, Prisma clients) runs beside the infrastructure and migrations, which need none of it.
    const generated = runTimed(async () => {
      const began = Date.now();
      if (generationUpToDate(config.repoRoot)) {
        output.info('code generation: up to date');
        return;
      }
      const out = await runGenerate({
        cwd: config.repoRoot,
        env: config.baseEnv,
        timeoutMs: 300_000,
        signal: helpers.signal,
      });
      recordGeneration(config.repoRoot);
      const hits = cacheHits(out);
      const state =
        hits && hits.hit === hits.total
          ? 'up to date'
          : `generated${hits ? ` (${hits.total - hits.hit} of ${hits.total} projects)` : ''}`;
      output.info(`code generation: ${state} (${seconds(Date.now() - began)})`);
    });

    // The web bundle the gateway serves, once its API client is generated; skipped when nothing changed.
    const webBuilt = runTimed(async () => {
      await generated;
      const began = Date.now();
      const { built } = await buildWeb({ cwd: config.repoRoot, env: config.baseEnv, signal: helpers.signal });
      output.info(`web bundle: ${built ? `built (${seconds(Date.now() - began)})` : 'up to date'}`);
    });

    const infra: Infrastructure = await step(ensureInfrastructure(config, output, register, signal));

    const databases: Record<string, string> = {};
    for (const spec of specs) {
      if (spec.database)
        databases[spec.name] = withDatabase(
          infra.postgresUrl,
          databaseNameFor(config.dbPrefix, spec.database),
        );
    }
    // Every database at once; each service waits only for its own.
    const migrated = new Map<string, Promise<void>>();
    for (const spec of specs) {
      const url = databases[spec.name];
      if (url)
        migrated.set(
          spec.name,
          runTimed(() => prepareDatabase(config, spec, url, output)),
        );
    }

    const seedDatabase = databases[SEED_DATABASE];
    if (!seedDatabase) throw new Error(`the demo seed needs the ${SEED_DATABASE} service's database`);
    if (!existsSync(path.join(config.repoRoot, SEED_SCRIPT)))
      throw new Error(`the demo seed ${SEED_SCRIPT} is missing`);
    // The seed runs beside the services: one that starts after it still gets its tenant_created from the stream.
    const seeded = runTimed(async () => {
      await Promise.all([generated, migrated.get(SEED_DATABASE)]);
      const seed = await runSeed({
        cwd: config.repoRoot,
        script: SEED_SCRIPT,
        env: {
          ...config.baseEnv,
          ...sharedVariablesFor(SEED_CONFIG_SCHEMA, config.serviceVariables),
          DATABASE_URL: seedDatabase,
          NATS_URL: infra.natsUrl,
          LOG_LEVEL: config.logLevel,
          HELPDESK_ADMIN_EMAIL: config.admin.email,
          HELPDESK_ADMIN_PASSWORD: config.admin.password,
          ...(config.busPrefix ? { BUS_PREFIX: config.busPrefix } : {}),
        },
        output,
        timeoutMs: 60_000,
        signal: helpers.signal,
      });
      output.info(
        `demo tenant ${seed.tenantId} ${seed.created ? 'created' : 'already there'} (admin ${seed.adminEmail})`,
      );
      return seed;
    });

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
    // a peer running as several processes is wired as the list of them
    const replicas = Object.fromEntries(
      Object.entries(plan.processes)
        .filter(([, list]) => list.length > 1)
        .map(([service, list]) => [service, list.map((p) => p.ports)]),
    );
    // Checked before anything starts: a bad value stops the runner with the service's reason, not a crash loop.
    const envs = new Map<string, Record<string, string>>();
    for (const spec of specs) {
      const entry = path.join(spec.dir, spec.entry);
      if (!existsSync(path.join(config.repoRoot, entry)))
        throw new Error(`service ${spec.name}: ${entry} is missing`);
      for (const p of processesOf(spec)) {
        const env = serviceEnv(spec, {
          ...ctxBase,
          config: replicaConfig(p),
          databaseUrl: databases[spec.name],
          replicas,
        });
        const issues = serviceEnvIssues(spec, env);
        if (issues.length > 0) {
          throw new Error(
            `${spec.name} cannot start with this configuration: ${issues.join('; ')} (see README, "Configuration")`,
          );
        }
        envs.set(p.name, env);
      }
    }
    // one public port over several processes (the gateway's): the runner's balancer holds it
    for (const b of plan.balanced) {
      const balancer = await step(startTcpBalancer({ host: '0.0.0.0', port: b.port, targets: b.targets }));
      balancers.push(balancer);
      output.info(`${b.service} on port ${b.port}: balanced over ${b.targets.length} processes`);
    }
    // A service starts once its code is generated, its database migrated and its dependsOn ready.
    const ready = new Map<string, Promise<void>>();
    for (const spec of specs) {
      ready.set(
        spec.name,
        runTimed(async () => {
          await Promise.all([
            generated,
            migrated.get(spec.name),
            ...spec.dependsOn.map((d) => ready.get(d)),
            // the gateway serves the web bundle: built before it starts
            ...(spec.name === 'gateway' ? [webBuilt] : []),
          ]);
          const began = Date.now();
          const processes = processesOf(spec);
          output.info(
            `starting ${spec.name}${processes.length > 1 ? ` (${processes.length} processes)` : ''}`,
          );
          await Promise.all(
            processes.map((p) =>
              supervisor.start(
                {
                  name: p.name,
                  command: process.execPath,
                  args: ['--import', 'tsx', path.join(spec.dir, spec.entry)],
                  cwd: config.repoRoot,
                  env: envs.get(p.name)!,
                  readyUrl: spec.readyUrl(replicaConfig(p)),
                },
                config.readyTimeoutMs,
                signal,
              ),
            ),
          );
          output.info(`${spec.name} is ready (${seconds(Date.now() - began)})`);
        }),
      );
    }
    const [seed] = await step(
      Promise.all([seeded, ...ready.values(), ...migrated.values(), generated, webBuilt]),
    );

    const gateway = `http://localhost:${config.ports.gateway?.http}`;
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
    helpers.abort();
    await stop();
    throw err;
  }
}

// `npm run images`: builds each service's image from the one Dockerfile on a base made here (no registry), runs its
// migration as the chart's Job does, then starts it read-only on the host's network against this machine's
// PostgreSQL, NATS and Redis until its /readyz answers; every container is removed at the end.
import { ensureDatabase, withDatabase } from '@helpdesk/db';
import type { LocalConfig } from '../config';
import type { Infrastructure } from '../infra/infrastructure';
import { freePort } from '../infra/ports';
import type { Output } from '../log-prefixer';
import { loadMailSecrets } from '../mail-secrets';
import { loadSecrets } from '../secrets';
import { databaseNameFor, serviceEnv, type ServiceContext, type ServiceSpec } from '../services';
import { run, type Docker } from './docker';

export interface ImageResult {
  service: string;
  image: string;
  sizeMb: number;
  buildSeconds: number;
  readySeconds: number;
}

export const imageName = (service: string): string => `helpdesk-${service}:local`;
const containerName = (service: string): string => `helpdesk-image-${service}`;

/** Builds one service's image: the workspace stages are shared, so the second service builds in seconds. */
export async function buildImage(
  output: Output,
  docker: Docker,
  opts: { repoRoot: string; baseImage: string; env: Record<string, string> },
  service: string,
): Promise<number> {
  const began = Date.now();
  await run(
    output,
    docker.cli,
    [
      'build',
      // no bridge here: build steps (npm ci) use the host's network
      '--network',
      'host',
      '--build-arg',
      `NODE_IMAGE=${opts.baseImage}`,
      '--build-arg',
      `SERVICE=${service}`,
      '--tag',
      imageName(service),
      opts.repoRoot,
    ],
    { env: { ...opts.env, DOCKER_BUILDKIT: '1' }, source: `build ${service}` },
  );
  return (Date.now() - began) / 1000;
}

/**
 * The runner's configuration for containers: free ports (a running `npm start` keeps its own), databases and
 * streams of their own, and local state under /tmp, the one writable place in a read-only container.
 */
export async function containerConfig(config: LocalConfig): Promise<LocalConfig> {
  const ports: LocalConfig['ports'] = {};
  for (const [service, own] of Object.entries(config.ports)) {
    ports[service] = {};
    for (const name of Object.keys(own) as Array<keyof typeof own>) ports[service][name] = await freePort();
  }
  return {
    ...config,
    ports,
    localDir: '/tmp',
    dbPrefix: `${config.dbPrefix}_images`,
    busPrefix: 'images',
    redisKeyPrefix: 'images:',
    // the image has its own PATH and HOME
    baseEnv: {},
  };
}

/** Runs each service's image (migration first) until its /readyz answers; removes the containers afterwards. */
export async function runImages(
  output: Output,
  docker: Docker,
  hostConfig: LocalConfig,
  infra: Infrastructure,
  specs: readonly ServiceSpec[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  const config = await containerConfig(hostConfig);
  // the docker client's own environment (PATH, HOME for its settings)
  const clientEnv = hostConfig.baseEnv;
  const secrets = loadSecrets(hostConfig.localDir, hostConfig.secrets);
  const mailSecrets = loadMailSecrets(hostConfig.localDir, hostConfig.secrets);
  const ctx: ServiceContext = {
    config,
    infra: { postgresUrl: infra.postgresUrl, natsUrl: infra.natsUrl, redisUrl: infra.redisUrl },
    secrets: {
      jwtSecret: secrets.jwtSecret,
      operatorToken: secrets.operatorToken,
      mailSecretKey: mailSecrets.mailSecretKey,
      messageIdSecret: mailSecrets.messageIdSecret,
    },
  };
  const started: string[] = [];
  const ready = new Map<string, number>();
  try {
    for (const spec of specs) {
      const databaseUrl = spec.database
        ? withDatabase(infra.postgresUrl, databaseNameFor(config.dbPrefix, spec.database))
        : undefined;
      const env = serviceEnv(spec, { ...ctx, databaseUrl });
      // values travel in the docker client's environment (`-e NAME`), never on its command line
      const envArgs = Object.keys(env).flatMap((k) => ['-e', k]);
      const dockerEnv = { ...clientEnv, ...env };
      const common = ['--read-only', '--tmpfs', '/tmp', '--network', 'host', '--user', '10001:10001'];
      if (databaseUrl) {
        await ensureDatabase(databaseUrl);
        // the chart's migration Job: the service's image, `npm run migrate -- deploy --service services/<svc>`
        await run(
          output,
          docker.cli,
          [
            'run',
            '--rm',
            ...common,
            '-e',
            'DATABASE_URL',
            imageName(spec.name),
            'npm',
            'run',
            'migrate',
            '--',
            'deploy',
            '--service',
            spec.dir,
          ],
          { env: { ...clientEnv, DATABASE_URL: databaseUrl }, source: `migrate ${spec.name}` },
        );
      }
      await run(output, docker.cli, ['rm', '--force', containerName(spec.name)], { env: dockerEnv }).catch(
        () => undefined,
      );
      const began = Date.now();
      await run(
        output,
        docker.cli,
        ['run', '--detach', '--name', containerName(spec.name), ...common, ...envArgs, imageName(spec.name)],
        {
          env: dockerEnv,
        },
      );
      started.push(spec.name);
      ready.set(spec.name, await waitReady(output, docker, clientEnv, { spec, config, began, timeoutMs }));
    }
    return ready;
  } finally {
    for (const name of started) {
      await run(output, docker.cli, ['rm', '--force', containerName(name)], { env: clientEnv }).catch(
        () => undefined,
      );
    }
  }
}

async function waitReady(
  output: Output,
  docker: Docker,
  env: Record<string, string>,
  {
    spec,
    config,
    began,
    timeoutMs,
  }: { spec: ServiceSpec; config: LocalConfig; began: number; timeoutMs: number },
): Promise<number> {
  const url = spec.readyUrl(config);
  while (Date.now() - began < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return (Date.now() - began) / 1000;
    } catch {
      // not listening yet
    }
    const state = await run(
      output,
      docker.cli,
      ['inspect', '--format', '{{.State.Status}}', containerName(spec.name)],
      { env },
    ).catch(() => 'gone');
    if (state.trim() !== 'running') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const logs = await run(output, docker.cli, ['logs', '--tail', '30', containerName(spec.name)], {
    env,
  }).catch((err: Error) => err.message);
  throw new Error(
    `${spec.name}: ${url} did not answer within ${Math.round(timeoutMs / 1000)} s; its last lines:\n${logs}`,
  );
}

/** The image's size in MB, as the engine reports it. */
export async function imageSizeMb(
  output: Output,
  docker: Docker,
  env: Record<string, string>,
  service: string,
): Promise<number> {
  const bytes = await run(
    output,
    docker.cli,
    ['image', 'inspect', '--format', '{{.Size}}', imageName(service)],
    { env },
  );
  return Math.round(Number(bytes.trim()) / 1e6);
}

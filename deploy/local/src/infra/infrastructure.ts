import path from 'node:path';
import type { LocalConfig } from '../config';
import type { Output } from '../log-prefixer';
import { aptInstall, canAutoInstall, installAdvice, type Missing } from './apt';
import { adoptLeftover, findExecutable, type InfraName, type PrivateInstance } from './instance';
import { findNatsServer, startPrivateNats } from './nats';
import { choosePort } from './ports';
import { findPostgresBinaries, startPrivatePostgres } from './postgres';
import { probeNats, probePostgres, probeRedis, type ProbeResult } from './probe';
import { findRedisServer, startPrivateRedis } from './redis';

/** Raised when a server is neither reachable nor installable; the message says what to install or set. */
export class InfrastructureUnavailableError extends Error {
  override readonly name = 'InfrastructureUnavailableError';
}

export interface Infrastructure {
  postgresUrl: string;
  natsUrl: string;
  redisUrl: string;
}

const DEFAULT_PORTS: Record<InfraName, number> = { postgres: 5432, nats: 4222, redis: 6379 };
const PROBES: Record<InfraName, (url: string) => Promise<ProbeResult>> = {
  postgres: (url) => probePostgres(url),
  nats: (url) => probeNats(url),
  redis: (url) => probeRedis(url),
};
const STOP_SIGNALS: Record<InfraName, NodeJS.Signals> = {
  postgres: 'SIGINT',
  nats: 'SIGTERM',
  redis: 'SIGTERM',
};

/** The URL with its password (if any) hidden, for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function preferredPort(name: InfraName, url: string): number {
  try {
    const port = Number(new URL(url).port);
    return port > 0 ? port : DEFAULT_PORTS[name];
  } catch {
    return DEFAULT_PORTS[name];
  }
}

interface Binaries {
  postgres?: ReturnType<typeof findPostgresBinaries>;
  nats?: string;
  redis?: string;
}

function findBinaries(pathVar: string | undefined): Binaries {
  return {
    postgres: findPostgresBinaries(pathVar),
    nats: findNatsServer(pathVar),
    redis: findRedisServer(pathVar),
  };
}

/**
 * PostgreSQL, NATS with JetStream and Redis: each from its URL when it answers, else a private instance
 * (started from the installed binary, installed with apt-get first when root) that `register` is told
 * about as soon as it exists, so that the caller stops it.
 */
export async function ensureInfrastructure(
  config: LocalConfig,
  output: Output,
  register: (instance: PrivateInstance) => void,
  signal?: AbortSignal,
): Promise<Infrastructure> {
  const urls: Record<InfraName, string> = {
    postgres: config.infra.postgresUrl,
    nats: config.infra.natsUrl,
    redis: config.infra.redisUrl,
  };
  const names: InfraName[] = ['postgres', 'nats', 'redis'];
  const checked = await Promise.all(
    names.map(async (name) => ({
      name,
      // A private instance an earlier run started and could not stop (it was killed) is found first,
      // because it may well be what answers at the configured URL.
      leftover: await adoptLeftover(name, path.join(config.localDir, name), PROBES[name], STOP_SIGNALS[name]),
      result: await PROBES[name](urls[name]),
    })),
  );

  const toStart: Missing[] = [];
  for (const { name, leftover, result } of checked) {
    const configured = redactUrl(urls[name]);
    if (leftover && (!result.up || leftover.url === urls[name])) {
      register(leftover);
      urls[name] = leftover.url;
      output.info(
        leftover.shared
          ? `${name}: using the private instance of another running runner (pid ${leftover.pid}) at ${leftover.url}`
          : `${name}: reusing the private instance left running by an earlier run (pid ${leftover.pid}) at ${leftover.url}`,
      );
      continue;
    }
    if (leftover && !leftover.shared) {
      output.info(
        `${name}: stopping the private instance left running by an earlier run (pid ${leftover.pid})`,
      );
      await leftover.stop();
    }
    if (result.up) {
      output.info(`${name}: using ${configured}`);
    } else {
      output.info(`${name}: ${configured} did not answer (${result.reason}); starting a private instance`);
      toStart.push({ name, url: configured, reason: result.reason });
    }
  }
  if (toStart.length === 0) return { postgresUrl: urls.postgres, natsUrl: urls.nats, redisUrl: urls.redis };

  const pathVar = config.baseEnv.PATH;
  let binaries = findBinaries(pathVar);
  const withoutBinary = () => toStart.filter((m) => !binaries[m.name]);
  if (withoutBinary().length > 0) {
    const ctx = {
      isRoot: config.isRoot,
      hasAptGet: Boolean(findExecutable('apt-get', pathVar, ['/usr/bin'])),
      autoInstall: config.infra.autoInstall,
    };
    if (!canAutoInstall(ctx)) throw new InfrastructureUnavailableError(installAdvice(withoutBinary(), ctx));
    await aptInstall(
      withoutBinary().map((m) => m.name),
      config.baseEnv,
      output,
      signal,
    );
    binaries = findBinaries(pathVar);
    if (withoutBinary().length > 0) {
      throw new InfrastructureUnavailableError(
        `apt-get installed the packages, but no server binary was found for ${withoutBinary()
          .map((m) => m.name)
          .join(', ')}\n${installAdvice(withoutBinary(), { ...ctx, autoInstall: false })}`,
      );
    }
  }

  const env = config.baseEnv;
  const started = await Promise.allSettled(
    toStart.map(async ({ name }): Promise<PrivateInstance> => {
      const dir = path.join(config.localDir, name);
      const port = await choosePort(preferredPort(name, urls[name]));
      if (port !== preferredPort(name, urls[name]))
        output.info(`${name}: port ${preferredPort(name, urls[name])} is taken; using ${port}`);
      switch (name) {
        case 'postgres':
          return startPrivatePostgres({
            binaries: binaries.postgres!,
            dir,
            port,
            isRoot: config.isRoot,
            env,
            onSpawn: register,
            onNote: (note) => output.info(`postgres: ${note}`),
          });
        case 'nats':
          return startPrivateNats({ binary: binaries.nats!, dir, port, env, onSpawn: register });
        case 'redis':
          return startPrivateRedis({ binary: binaries.redis!, dir, port, env, onSpawn: register });
      }
    }),
  );
  const failures = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failures.length > 0)
    throw new Error(
      failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n'),
    );
  for (const s of started) {
    if (s.status !== 'fulfilled') continue;
    urls[s.value.name] = s.value.url;
    output.info(
      `${s.value.name}: private instance (pid ${s.value.pid}) at ${s.value.url}, data in ${path.join(config.localDir, s.value.name)}`,
    );
  }
  return { postgresUrl: urls.postgres, natsUrl: urls.nats, redisUrl: urls.redis };
}

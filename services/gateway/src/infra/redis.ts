import Redis from 'ioredis';
import type { Logger } from '@helpdesk/platform';

/** One ioredis connection; every key gets `keyPrefix` (test isolation). */
export function createRedis(url: string, keyPrefix: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    // Fail requests fast while Redis is away instead of queueing them for ever.
    maxRetriesPerRequest: 2,
    connectTimeout: 5_000,
    lazyConnect: false,
  });
  let reported = false;
  redis.on('error', (err: Error) => {
    // ioredis emits the same error on every reconnect attempt; report it once until it recovers.
    if (!reported) logger.warn({ err: err.message }, 'redis connection error');
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}

// /readyz is reachable from outside: no addresses or driver messages in the failure.
export async function pingRedis(redis: Redis): Promise<void> {
  const pong = await redis.ping().catch(() => {
    throw new Error('unreachable');
  });
  if (pong !== 'PONG') throw new Error('unexpected PING reply');
}

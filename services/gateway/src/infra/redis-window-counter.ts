import type Redis from 'ioredis';
import type { WindowCounter } from '../app/ports';

// INCR and start the window on the first hit; repair a key that lost its TTL.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

// DECR only a key that exists (a lapsed window stays lapsed), and drop it at zero.
const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local count = redis.call('DECR', KEYS[1])
if count <= 0 then redis.call('DEL', KEYS[1]) end
return count`;

/** Fixed-window counters in Redis, shared by every gateway replica. */
export class RedisWindowCounter implements WindowCounter {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, key, String(windowSeconds))) as [number, number];
    return { count, resetSeconds: ttl };
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, key);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(key);
  }
}

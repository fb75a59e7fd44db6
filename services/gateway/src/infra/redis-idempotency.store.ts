import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { z } from 'zod';
import type { IdempotencyBegin, IdempotencyStore, StoredResponse } from '../app/ports';

// Take the key if free; otherwise return what is there (atomic, so it cannot vanish in between).
const BEGIN = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return {1} end
return {0, redis.call('GET', KEYS[1])}`;

// Replace our in-progress marker with the final record, only if it is still ours.
const COMPLETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

const ABANDON = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const recordSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('in_progress'), token: z.string(), requestHash: z.string() }),
  z.object({
    state: z.literal('completed'),
    requestHash: z.string(),
    status: z.number().int(),
    body: z.unknown(),
  }),
]);

/** Idempotency-Key records in Redis: an in-progress marker with a lock TTL, then the response for 24 h. */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(private readonly redis: Redis) {}

  async begin(key: string, requestHash: string, lockSeconds: number): Promise<IdempotencyBegin> {
    const marker = JSON.stringify({ state: 'in_progress', token: randomUUID(), requestHash });
    const result = (await this.redis.eval(BEGIN, 1, key, marker, String(lockSeconds))) as [number, string?];
    // The marker itself is the opaque token: complete/abandon compare-and-set against it.
    if (result[0] === 1) return { state: 'started', token: marker };
    const record = recordSchema.parse(JSON.parse(result[1] ?? 'null'));
    if (record.state === 'in_progress') return { state: 'in_progress', requestHash: record.requestHash };
    return {
      state: 'completed',
      response: { status: record.status, body: record.body, requestHash: record.requestHash },
    };
  }

  async complete(key: string, token: string, response: StoredResponse, ttlSeconds: number): Promise<void> {
    const record = JSON.stringify({ state: 'completed', ...response });
    await this.redis.eval(COMPLETE, 1, key, token, record, String(ttlSeconds));
  }

  async abandon(key: string, token: string): Promise<void> {
    await this.redis.eval(ABANDON, 1, key, token);
  }
}

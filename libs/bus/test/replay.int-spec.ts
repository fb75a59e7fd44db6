import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { connectBus, createEnvelope, enqueueEvent, OutboxRelay, type Bus, type EventEnvelope } from '../src';
import {
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  readStream,
  testLogger,
  uniqueSuffix,
  waitFor,
  withClient,
  type TestDatabase,
} from './support/harness';

const tenantId = '2f4e6a8c-1b3d-4f5a-9c7e-0a2b4c6d8e1f';
const repoRoot = resolve(__dirname, '../../..');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'libs/bus/src/cli.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout }));
  });
}

describe('replayOutbox and the replay CLI', () => {
  const prefix = `bus${uniqueSuffix()}`;
  let db: TestDatabase;
  let bus: Bus;
  let envelopes: EventEnvelope[];

  beforeAll(async () => {
    db = await createTestDatabase();
    bus = await connectBus({ servers: NATS_URL, prefix, name: 'bus-replay-test', logger: testLogger });
    envelopes = await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      const out: EventEnvelope[] = [];
      for (let i = 0; i < 12; i++) {
        const e = createEnvelope({
          type: i % 2 ? 'helpdesk.ticket.updated' : 'helpdesk.ticket.created',
          tenantId,
          data: { i },
        });
        await enqueueEvent(c, e);
        out.push(e);
      }
      await c.query('COMMIT');
      // the first two are old
      await c.query(`UPDATE outbox SET created_at = '2020-01-01T00:00:00Z' WHERE id = ANY($1::uuid[])`, [
        [out[0]!.id, out[1]!.id],
      ]);
      return out;
    });
  });

  afterAll(async () => {
    await deletePrefixedStreams(prefix);
    await bus.close();
    await db.drop();
  });

  it('a single relay publishes in outbox order', async () => {
    const relay = new OutboxRelay({
      databaseUrl: db.url,
      bus,
      logger: testLogger,
      pollIntervalMs: 20,
      batchSize: 5,
    });
    relay.start();
    await waitFor('all published', () =>
      withClient(
        db.url,
        async (c) => (await c.query('SELECT 1 FROM outbox WHERE published_at IS NULL')).rowCount === 0,
      ),
    );
    await relay.stop();
    const stored = await readStream(bus.jsm, bus.streamName('ticket'));
    expect(stored.map((m) => m.header.get('Nats-Msg-Id'))).toEqual(envelopes.map((e) => e.id));
  });

  it('replays rows since an instant, in order, with their original ids into a recreated stream', async () => {
    await bus.jsm.streams.delete(bus.streamName('ticket'));
    const env = { DATABASE_URL: db.url, NATS_URL, BUS_PREFIX: prefix };

    const since = await runCli(['replay', '--since', '2021-01-01T00:00:00Z'], env);
    expect(since.code).toBe(0);
    expect(JSON.parse(since.stdout)).toEqual({ replayed: 10 });
    let stored = await readStream(bus.jsm, bus.streamName('ticket'));
    expect(stored.map((m) => m.header.get('Nats-Msg-Id'))).toEqual(envelopes.slice(2).map((e) => e.id));
    expect(stored.map((m) => m.json<EventEnvelope>())).toEqual(envelopes.slice(2));

    // everything: the ten already there are dropped by the duplicate window, the two old ones are added
    const all = await runCli(['replay'], env);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ replayed: 12 });
    stored = await readStream(bus.jsm, bus.streamName('ticket'));
    expect(stored.map((m) => m.header.get('Nats-Msg-Id'))).toEqual([
      ...envelopes.slice(2).map((e) => e.id),
      envelopes[0]!.id,
      envelopes[1]!.id,
    ]);
  });

  it('rejects bad arguments and a missing DATABASE_URL', async () => {
    expect((await runCli(['replay', '--since', 'yesterday'], { DATABASE_URL: db.url, NATS_URL })).code).toBe(
      2,
    );
    expect((await runCli(['purge'], { DATABASE_URL: db.url, NATS_URL })).code).toBe(2);
    expect((await runCli(['replay'], { NATS_URL })).code).toBe(2);
  });
});

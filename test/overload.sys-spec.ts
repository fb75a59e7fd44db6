// Overload through the whole platform: a flood of creates far beyond deliberately small limits of the gateway and
// of the ticket service gets only 201s and quick 503s with Retry-After (never a 500), the gRPC channel keeps
// serving, and the database holds exactly one ticket per 201.
import { Client as PgClient } from 'pg';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let tenant: TenantSession;

beforeAll(async () => {
  platform = await startTestPlatform({
    label: 'ovl',
    env: {
      // two creates at a time in the ticket service, two waiting at most 300 ms; the rest is refused there
      ticket: { GRPC_MAX_CONCURRENT_CALLS: '2', GRPC_MAX_QUEUED_CALLS: '2', GRPC_MAX_QUEUE_MS: '300' },
      // more than the ticket service takes, so that both places shed; a deadline the flood can reach
      gateway: {
        ADMISSION_MAX_IN_FLIGHT: '8',
        ADMISSION_MAX_QUEUED: '8',
        ADMISSION_MAX_QUEUE_MS: '300',
        RETRY_AFTER_SECONDS: '2',
        GRPC_DEADLINE_MS: '3000',
      },
    },
  });
  tenant = await platform.createTenantAndLogin('Overload MSP');
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

async function ticketsInDatabase(): Promise<number> {
  const db = new PgClient({ connectionString: platform.db('ticket').url });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM tickets WHERE tenant_id = $1', [
      tenant.tenantId,
    ]);
    return Number(rows[0]!.n);
  } finally {
    await db.end();
  }
}

const create = (i: number) =>
  platform.api('POST', '/api/v1/tickets', {
    token: tenant.token,
    body: {
      title: `Flood ${i}`,
      description: `<p>request ${i}</p>`,
      requester: { email: `user${i % 7}@flood.example` },
    },
  });

describe('overload', () => {
  it('answers a flood with 201s and quick 503s with Retry-After only, and commits exactly the 201s', async () => {
    const answers = [];
    // two waves of 150 at once: the second finds whatever the first left of the channel and the queues
    for (let wave = 0; wave < 2; wave += 1) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 150 }, async (_, i) => {
            const reply = await create(wave * 150 + i);
            return {
              status: reply.status,
              retryAfter: reply.headers.get('retry-after'),
              code: reply.body?.error?.code,
            };
          }),
        )),
      );
    }
    const statuses = answers.reduce<Record<number, number>>(
      (m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }),
      {},
    );
    expect(Object.keys(statuses).sort()).toEqual(['201', '503']);
    const refused = answers.filter((a) => a.status === 503);
    for (const a of refused) expect(a).toMatchObject({ retryAfter: '2', code: 'UNAVAILABLE' });

    const created = statuses[201]!;
    expect(await ticketsInDatabase()).toBe(created);

    // the channel to the ticket service survived: the next create is served
    const after = await create(10_000);
    expect(after.status).toBe(201);
    expect(await ticketsInDatabase()).toBe(created + 1);
  });
});

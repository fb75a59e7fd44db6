// `npm run bench -- sla`: the SLA service's timers with 100,000 running clocks. The service runs as its own
// process on a fresh database and stream prefix; tickets reach it as the ticket service's events would. Prints
// memory, idle CPU while nothing is due, and breach latency when 10,000 first responses fall due in one minute;
// the goals are printed beside the figures, never asserted.
import { sleep, until } from './waiting';
import { randomUUID } from 'node:crypto';
import { createEnvelope, type Bus } from '@helpdesk/bus';
import { identityEventsV1, slaV1, ticketEventsV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
import { manifestEnv, readinessUrl } from '@helpdesk/platform';
import {
  NATS_URL,
  createTestDatabase,
  freePortsFor,
  startProcess,
  uniquePrefix,
  waitForHttp,
} from '@helpdesk/testing';
import { Pool } from 'pg';
import { manifestOf } from '../services/manifests';
import { addCpu, cpuSnapshot, type CpuSnapshot, machineLine } from './cpu';
import { Cleanup, statusMiB, printLoggedErrors, benchBus } from './platform';
import { latencyLine, percentile } from './stats';

const CLOCKS = 100_000;
/** First responses that fall due within one minute. */
const DUE = 10_000;
const DUE_WINDOW_MS = 60_000;
/** Not-due tickets sent as events (to measure ingestion); the rest of the 100,000 are copies of one of them. */
const SAMPLE = 10_000;
const IDLE_S = 30;
const GOALS = { p99Ms: 1_000, idleCpuPercent: 2 };
const MINUTE = 60_000;

const log = (line = ''): void => console.log(line);
const startedAt = Date.now();
const elapsed = (): string => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

/** Publishes envelopes as their owning service would (Nats-Msg-Id = event id), 200 in flight at a time. */
async function publishAll(bus: Bus, events: Array<{ type: string; tenantId: string; data: unknown }>) {
  for (let i = 0; i < events.length; i += 200) {
    await Promise.all(
      events.slice(i, i + 200).map((e) => {
        const envelope = createEnvelope(e);
        return bus.js.publish(bus.subject(e.type), JSON.stringify(envelope), { msgID: envelope.id });
      }),
    );
  }
}

function ticketCreated(tenantId: string, over: { priority: string; openedAt: Date; number: number }) {
  return {
    type: 'helpdesk.ticket.created',
    tenantId,
    data: ticketEventsV1.TicketCreatedEvent.toJSON(
      ticketEventsV1.TicketCreatedEvent.fromPartial({
        ticket: {
          id: randomUUID(),
          tenantId,
          title: 'Benchmark ticket',
          status: 'open',
          source: 'api',
          type: 'Bench',
          version: 1,
          updatedAt: over.openedAt,
          ...over,
        },
      }),
    ),
  };
}

function cpuSeconds(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  const out: CpuSnapshot = {};
  addCpu(out, before, after);
  return out;
}

/** The benchmark; `npm run bench -- sla` runs it through runBench. */
export async function runSlaBench(cleanup: Cleanup): Promise<void> {
  log(`SLA timer benchmark · ${machineLine()}`);
  const prefix = uniquePrefix('benchsla');
  const db = await createTestDatabase('sla');
  cleanup.defer(`drop database ${db.name}`, () => db.drop());
  const pool = new Pool({ connectionString: db.url, max: 2 });
  cleanup.defer('close the database pool', () => pool.end());
  const bus = await benchBus(cleanup, prefix, 'bench-sla', true);
  const manifest = manifestOf('sla');
  await Promise.all(
    [...manifest.streams.owns, ...manifest.streams.consumes].map((domain) => bus.ensureStream(domain)),
  );

  const allPorts = await freePortsFor([manifest]);
  const ports = allPorts.sla!;
  const sla = startProcess('sla', `services/sla/${manifest.entry}`, {
    ...manifestEnv(manifest, { ports: allPorts, databaseUrl: db.url, secrets: {} }),
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  });
  cleanup.defer('stop the sla service', () => sla.stop(5_000));
  await waitForHttp(readinessUrl(manifest, ports), 60_000);
  const pid = sla.child.pid;
  const client = createGrpcClient(slaV1.SlaServiceClient, `127.0.0.1:${ports.grpc}`, { deadlineMs: 10_000 });
  cleanup.defer('close the gRPC client', async () => client.close());
  log(`sla service up in ${elapsed()} (its own process, database and stream prefix)`);

  // the tenant gets its defaults from tenant_created; the benchmark's tickets match a 24×7 policy of their own
  const tenantId = randomUUID();
  await publishAll(bus, [
    {
      type: 'helpdesk.identity.tenant_created',
      tenantId,
      data: identityEventsV1.TenantCreatedEvent.toJSON({
        tenantId,
        name: 'Bench MSP',
        timezone: 'UTC',
        slug: 'bench-msp',
      }),
    },
  ]);
  await until(
    'the tenant defaults',
    async () => (await client.listPolicies({ tenantId, page: undefined })).items.length > 0,
    30_000,
    250,
  );
  const target = (firstResponseMinutes: number) => ({ firstResponseMinutes, resolutionMinutes: 7 * 24 * 60 });
  await client.createPolicy({
    tenantId,
    actor: undefined,
    name: 'Bench 24×7',
    calendarId: '',
    targets: { critical: target(5), high: target(1440), medium: target(1440), low: target(1440) },
    pauseStatuses: ['waiting_on_customer'],
    // breaches only: every event in the due minute is one of the 10,000 measured
    warnAtPercent: 100,
    match: { clientIds: [], priorities: [], types: ['Bench'] },
    isDefault: false,
  });

  const count = async (): Promise<number> =>
    Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0]!.n);
  const rssBefore = statusMiB(pid, 'VmRSS');

  // 1. ingestion: low-priority tickets (first response due in a day) as ticket.created events
  const sampleStart = Date.now();
  const ingestBefore = cpuSnapshot({ sla: pid });
  const sample = Array.from({ length: SAMPLE }, (_, i) =>
    ticketCreated(tenantId, { priority: 'low', openedAt: new Date(), number: 1001 + i }),
  );
  await publishAll(bus, sample);
  const publishedMs = Date.now() - sampleStart;
  await until('the sample applied', async () => (await count()) >= SAMPLE, 10 * 60_000, 250);
  const ingestRate = SAMPLE / ((Date.now() - sampleStart) / 1000);
  const ingestCpu = cpuSeconds(ingestBefore, cpuSnapshot({ sla: pid }));
  const perEvent = (name: string) => ((1000 * (ingestCpu[name] ?? 0)) / SAMPLE).toFixed(2);
  log(
    `ingestion: ${SAMPLE} ticket.created events published in ${(publishedMs / 1000).toFixed(1)} s, applied (clocks started, an outbox event each) at ${ingestRate.toFixed(0)} events/s; CPU per event: sla ${perEvent('sla')} ms, postgres ${perEvent('postgres')} ms, nats ${perEvent('nats')} ms`,
  );

  // 2. the rest of the not-due clocks: copies of an ingested row (same clocks, new ticket ids)
  const copies = CLOCKS - DUE - SAMPLE;
  const cloneStart = Date.now();
  await pool.query(
    `INSERT INTO tickets (tenant_id, id, version, facts, clocks, sla_sequence, next_fire_at)
     SELECT t.tenant_id, g.id, t.version, jsonb_set(t.facts, '{id}', to_jsonb(g.id::text)), t.clocks, t.sla_sequence, t.next_fire_at
     FROM (SELECT * FROM tickets LIMIT 1) t, (SELECT gen_random_uuid() AS id FROM generate_series(1, $1::int)) g`,
    [copies],
  );
  await pool.query('ANALYZE tickets');
  log(`copied ${copies} more not-due clocks in SQL in ${((Date.now() - cloneStart) / 1000).toFixed(1)} s`);

  // 3. 10,000 critical tickets whose first response (5 minutes) falls due within one minute starting at dueStart
  const dueStart = Date.now() + Math.ceil((1.5 * DUE) / ingestRate) * 1000 + (IDLE_S + 15) * 1000;
  const dueAt = (i: number) => dueStart + Math.floor((i * DUE_WINDOW_MS) / DUE);
  const dueTickets = Array.from({ length: DUE }, (_, i) =>
    ticketCreated(tenantId, {
      priority: 'critical',
      openedAt: new Date(dueAt(i) - 5 * MINUTE),
      number: 50_000 + i,
    }),
  );
  const received = new Map<string, number>();
  const receiveLatency: number[] = [];
  bus.nc.subscribe(bus.subject('helpdesk.sla.breached'), {
    callback: (_err, msg) => {
      const at = Date.now();
      const envelope = JSON.parse(Buffer.from(msg.data).toString('utf8')) as {
        data: { ticketId: string; target: string; sla: { firstResponse: { breachedAt: string } } };
      };
      const { ticketId, sla: view } = envelope.data;
      received.set(ticketId, (received.get(ticketId) ?? 0) + 1);
      receiveLatency.push(at - Date.parse(view.firstResponse.breachedAt));
    },
  });
  await publishAll(bus, dueTickets);
  await until('the due tickets applied', async () => (await count()) >= CLOCKS, 10 * 60_000, 250);
  log(
    `${CLOCKS} running clocks in ${elapsed()}; ${DUE} first responses fall due from ${new Date(dueStart).toISOString()} over 60 s`,
  );

  // 4. idle: nothing due until dueStart
  await sleep(3_000);
  const idleMs = Math.min(IDLE_S * 1000, dueStart - Date.now() - 2_000);
  const idleBefore = cpuSnapshot({ sla: pid });
  await sleep(idleMs);
  const idle = cpuSeconds(idleBefore, cpuSnapshot({ sla: pid }));
  const idleSlaPercent = (100 * (idle.sla ?? 0)) / (idleMs / 1000);
  const idlePgPercent = (100 * (idle.postgres ?? 0)) / (idleMs / 1000);
  const rss = statusMiB(pid, 'VmRSS');
  const { rows: sizes } = await pool.query<{ table: string; index: string }>(
    `SELECT pg_size_pretty(pg_total_relation_size('tickets')) AS table,
            pg_size_pretty(pg_relation_size('tickets_next_fire_at_idx')) AS index`,
  );

  // 5. the due minute
  await sleep(dueStart - Date.now() - 500);
  const busyBefore = cpuSnapshot({ sla: pid });
  const busyStart = Date.now();
  await until('every breach received', async () => received.size >= DUE, DUE_WINDOW_MS + 120_000, 250).catch(
    (err: Error) => log(`!! ${err.message}: ${received.size} of ${DUE}`),
  );
  const busy = cpuSeconds(busyBefore, cpuSnapshot({ sla: pid }));
  const busyS = (Date.now() - busyStart) / 1000;
  await sleep(2_000);
  const { rows: raised } = await pool.query<{ ticket: string; latency: number }>(
    `SELECT payload->'data'->>'ticketId' AS ticket,
            1000 * extract(epoch FROM created_at - (payload->'data'->'sla'->'firstResponse'->>'breachedAt')::timestamptz) AS latency
     FROM outbox WHERE type = 'helpdesk.sla.breached'`,
  );
  const perTicket = new Map<string, number>();
  for (const r of raised) perTicket.set(r.ticket, (perTicket.get(r.ticket) ?? 0) + 1);
  const doubled = [...perTicket.values()].filter((n) => n > 1).length;
  const doubledOnBus = [...received.values()].filter((n) => n > 1).length;
  const raisedLatency = raised.map((r) => Number(r.latency));

  log();
  log(
    `memory: sla service RSS ${rssBefore?.toFixed(0)} MiB before the tickets, ${rss?.toFixed(0)} MiB with ${CLOCKS} running clocks (peak ${statusMiB(pid, 'VmHWM')?.toFixed(0)} MiB); the clocks live in PostgreSQL: tickets table ${sizes[0]!.table} with indexes, next_fire_at index ${sizes[0]!.index}`,
  );
  log(
    `idle (nothing due, ${(idleMs / 1000).toFixed(0)} s): sla service ${idleSlaPercent.toFixed(2)} % of one core · goal <= ${GOALS.idleCpuPercent} %: ${idleSlaPercent <= GOALS.idleCpuPercent ? 'met' : 'NOT met'}; all postgres processes on the machine ${idlePgPercent.toFixed(1)} % (shared server)`,
  );
  log(
    `due minute: ${DUE} first responses falling due over 60 s; breach events raised ${raised.length}, received on NATS ${received.size} tickets; doubled: ${doubled} in the outbox, ${doubledOnBus} on the bus`,
  );
  const sorted = [...receiveLatency].sort((a, b) => a - b);
  log(latencyLine('  raised (timer transaction began) after due', raisedLatency));
  log(latencyLine('  published and received by a subscriber after due', receiveLatency));
  log(
    `  goal: breach <= ${GOALS.p99Ms} ms after due at p99: ${percentile(sorted, 0.99) <= GOALS.p99Ms ? 'met' : 'NOT met'} (received on NATS)`,
  );
  log(
    `  CPU over the due minute (${busyS.toFixed(0)} s): sla service ${((100 * (busy.sla ?? 0)) / busyS).toFixed(1)} % of one core, postgres ${((100 * (busy.postgres ?? 0)) / busyS).toFixed(1)} %, nats ${((100 * (busy.nats ?? 0)) / busyS).toFixed(1)} %`,
  );
  printLoggedErrors([sla], log);
  log(`done in ${elapsed()}`);
}

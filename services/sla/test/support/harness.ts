// The SLA service in-process against the real PostgreSQL and NATS, in a database and BUS_PREFIX of its own; events
// of other services are published exactly as they publish them (envelope + proto JSON on their stream).
import { randomUUID } from 'node:crypto';
import { connectBus, createEnvelope, type Bus } from '@helpdesk/bus';
import { identityEventsV1, slaV1, ticketEventsV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import { Pool } from 'pg';
import {
  inProcessServiceEnv,
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import { slaConfigSchema } from '../../src/config';
import { buildSlaService, type RunningSlaService } from '../../src/sla-service';

export type SlaClient = PromiseClient<slaV1.SlaServiceClient>;

export interface OutboxEvent {
  type: string;
  tenantId: string;
  data: { ticketId: string; target: string; sequence: number; sla: Record<string, unknown> };
}

export interface Harness {
  prefix: string;
  db: TestDatabase;
  /** A connection of the test's own to the service's database. */
  pool: Pool;
  bus: Bus;
  /** Starts one more replica of the service on the same database and prefix. */
  start(): Promise<{ service: RunningSlaService; client: SlaClient }>;
  publishTicketEvent(type: string, ticket: ticketV1.Ticket): Promise<void>;
  publishClient(client: {
    id: string;
    tenantId: string;
    slaPolicyId: string;
    version: number;
  }): Promise<void>;
  publishTenantCreated(tenantId: string, timezone: string): Promise<void>;
  /** The SLA events in the outbox, oldest first. */
  outbox(tenantId?: string): Promise<OutboxEvent[]>;
  stop(): Promise<void>;
}

export async function startHarness(label: string): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const db = await createTestDatabase('sla');
  const logger = createLogger('sla-test', process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  const bus = await connectBus({ servers: NATS_URL, prefix, name: `${label}-publisher`, logger });
  await Promise.all([bus.ensureStream('ticket'), bus.ensureStream('identity')]);
  const running: Array<{ service: RunningSlaService; client: SlaClient }> = [];
  // the test's own connection: it reads the outbox while no replica runs too
  const pool = new Pool({ connectionString: db.url, max: 2 });

  const publish = async (type: string, tenantId: string, data: unknown) => {
    const envelope = createEnvelope({ type, tenantId, data });
    await bus.js.publish(bus.subject(type), JSON.stringify(envelope), { msgID: envelope.id });
  };

  return {
    prefix,
    db,
    pool,
    bus,
    async start() {
      const config = slaConfigSchema.parse({
        ...inProcessServiceEnv(db.url, prefix),
        SLA_TIMER_BATCH: '7',
      });
      const service = await buildSlaService(config);
      const client = createGrpcClient(slaV1.SlaServiceClient, `127.0.0.1:${service.grpcPort}`);
      const replica = { service, client };
      running.push(replica);
      const stop = service.stop;
      service.stop = async () => {
        client.close();
        running.splice(running.indexOf(replica), 1);
        await stop();
      };
      return replica;
    },
    publishTicketEvent: (type, ticket) => {
      const data =
        type === 'helpdesk.ticket.created'
          ? ticketEventsV1.TicketCreatedEvent.toJSON(
              ticketEventsV1.TicketCreatedEvent.fromPartial({ ticket }),
            )
          : type === 'helpdesk.ticket.status_changed'
            ? ticketEventsV1.TicketStatusChangedEvent.toJSON(
                ticketEventsV1.TicketStatusChangedEvent.fromPartial({ ticket, to: ticket.status }),
              )
            : ticketEventsV1.TicketUpdatedEvent.toJSON(
                ticketEventsV1.TicketUpdatedEvent.fromPartial({ ticket }),
              );
      return publish(type, ticket.tenantId, data);
    },
    publishClient: (client) =>
      publish(
        'helpdesk.ticket.client_updated',
        client.tenantId,
        ticketEventsV1.ClientUpdatedEvent.toJSON(
          ticketEventsV1.ClientUpdatedEvent.fromPartial({ client: { ...client, name: 'Acme' } }),
        ),
      ),
    publishTenantCreated: (tenantId, timezone) =>
      publish(
        'helpdesk.identity.tenant_created',
        tenantId,
        identityEventsV1.TenantCreatedEvent.toJSON({ tenantId, name: 'MSP', timezone, slug: 'msp' }),
      ),
    async outbox(tenantId) {
      const { rows } = await pool.query<{ payload: OutboxEvent }>(
        `SELECT payload FROM outbox WHERE ($1::uuid IS NULL OR tenant_id = $1::uuid) ORDER BY seq`,
        [tenantId ?? null],
      );
      return rows.map((r) => r.payload);
    },
    async stop() {
      for (const replica of [...running]) await replica.service.stop();
      await pool.end();
      await bus.close();
      await deletePrefixedStreams(prefix);
      await db.drop();
    },
  };
}

/** A whole ticket as the ticket service would publish it. */
export function ticket(over: Partial<ticketV1.Ticket> & { tenantId: string }): ticketV1.Ticket {
  const openedAt = over.openedAt ?? new Date();
  return ticketV1.Ticket.fromPartial({
    id: randomUUID(),
    number: 1001,
    title: 'Printer offline',
    status: 'open',
    priority: 'medium',
    source: 'agent',
    version: 1,
    updatedAt: openedAt,
    ...over,
    openedAt,
  });
}

/** The next version of a ticket: changed fields, version + 1, updatedAt = `at`. */
export function next(t: ticketV1.Ticket, at: Date, over: Partial<ticketV1.Ticket> = {}): ticketV1.Ticket {
  return { ...t, ...over, version: t.version + 1, updatedAt: at };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const MINUTE = 60_000;
export const ago = (ms: number) => new Date(Date.now() - ms);

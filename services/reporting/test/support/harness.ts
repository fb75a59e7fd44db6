// The reporting service in-process against the real PostgreSQL and NATS, in a database and BUS_PREFIX of its own;
// the events of identity, ticket and SLA are published exactly as those services publish them (envelope + proto
// JSON on their stream, Nats-Msg-Id = event id).
import { randomUUID } from 'node:crypto';
import { connectBus, createEnvelope, type Bus, type EventEnvelope } from '@helpdesk/bus';
import { identityEventsV1, reportingV1, slaEventsV1, ticketEventsV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import {
  createTestDatabase,
  deletePrefixedStreams,
  inProcessServiceEnv,
  NATS_URL,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@helpdesk/testing';
import { Pool } from 'pg';
import { reportingConfigSchema } from '../../src/config';
import { buildReportingService, type RunningReportingService } from '../../src/reporting-service';

export type ReportingClient = PromiseClient<reportingV1.ReportingServiceClient>;

export interface Harness {
  prefix: string;
  db: TestDatabase;
  pool: Pool;
  bus: Bus;
  service: RunningReportingService;
  client: ReportingClient;
  /** Publishes an envelope as it is (a second time too: with `again`, under a fresh Nats-Msg-Id). */
  publish(envelope: EventEnvelope, again?: boolean): Promise<void>;
  tenantEvent(type: 'created' | 'updated', tenantId: string, timezone: string): EventEnvelope;
  ticketEvent(type: TicketEventType, ticket: ticketV1.Ticket, into?: ticketV1.Ticket): EventEnvelope;
  slaEvent(
    type: 'met' | 'breached' | 'updated' | 'warning',
    tenantId: string,
    data: SlaEventData,
  ): EventEnvelope;
  /** Waits until every event published so far was applied (recorded in the inbox). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export type TicketEventType =
  'created' | 'updated' | 'status_changed' | 'assigned' | 'message_added' | 'merged';

export interface SlaEventData {
  ticketId: string;
  sequence: number;
  firstResponse: string;
  resolution: string;
  firstResponseBusinessMinutes?: number;
}

export async function startHarness(label: string): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const db = await createTestDatabase('reporting');
  const logger = createLogger('reporting-test', process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  const bus = await connectBus({ servers: NATS_URL, prefix, name: `${label}-publisher`, logger });
  await Promise.all(['identity', 'ticket', 'sla'].map((d) => bus.ensureStream(d)));
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const config = reportingConfigSchema.parse(inProcessServiceEnv(db.url, prefix));
  const service = await buildReportingService(config);
  const client = createGrpcClient(reportingV1.ReportingServiceClient, `127.0.0.1:${service.grpcPort}`);
  const ids = new Set<string>();

  const envelope = (type: string, tenantId: string, data: unknown) =>
    createEnvelope({ type, tenantId, data });

  return {
    prefix,
    db,
    pool,
    bus,
    service,
    client,
    async publish(e, again = false) {
      ids.add(e.id);
      await bus.js.publish(bus.subject(e.type), JSON.stringify(e), { msgID: again ? randomUUID() : e.id });
    },
    tenantEvent: (type, tenantId, timezone) =>
      envelope(
        `helpdesk.identity.tenant_${type}`,
        tenantId,
        identityEventsV1.TenantCreatedEvent.toJSON({ tenantId, name: 'MSP', timezone, slug: 'msp' }),
      ),
    ticketEvent(type, ticket, into) {
      const t = `helpdesk.ticket.${type}`;
      const data =
        type === 'created'
          ? ticketEventsV1.TicketCreatedEvent.toJSON(
              ticketEventsV1.TicketCreatedEvent.fromPartial({ ticket }),
            )
          : type === 'status_changed'
            ? ticketEventsV1.TicketStatusChangedEvent.toJSON(
                ticketEventsV1.TicketStatusChangedEvent.fromPartial({ ticket, to: ticket.status }),
              )
            : type === 'merged'
              ? ticketEventsV1.TicketMergedEvent.toJSON(
                  ticketEventsV1.TicketMergedEvent.fromPartial({ ticket, into }),
                )
              : ticketEventsV1.TicketUpdatedEvent.toJSON(
                  ticketEventsV1.TicketUpdatedEvent.fromPartial({ ticket }),
                );
      return envelope(t, ticket.tenantId, data);
    },
    slaEvent: (type, tenantId, d) =>
      envelope(
        `helpdesk.sla.${type}`,
        tenantId,
        slaEventsV1.TicketSlaEvent.toJSON(
          slaEventsV1.TicketSlaEvent.fromPartial({
            ticketId: d.ticketId,
            ticketNumber: 1,
            sla: {
              policyId: randomUUID(),
              firstResponse: { state: d.firstResponse },
              resolution: { state: d.resolution },
            },
            target: '',
            sequence: d.sequence,
            firstResponseBusinessMinutes: d.firstResponseBusinessMinutes,
          }),
        ),
      ),
    async settled() {
      await waitFor(
        'every event applied',
        async () => {
          const { rows } = await pool.query<{ n: number }>(
            'SELECT count(DISTINCT event_id)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])',
            [[...ids]],
          );
          return rows[0]!.n === ids.size;
        },
        30_000,
      );
    },
    async stop() {
      client.close();
      await service.stop();
      await pool.end();
      await bus.close();
      await deletePrefixedStreams(prefix);
      await db.drop();
    },
  };
}

/** A whole ticket as the ticket service would publish it. */
export function ticket(
  over: Partial<ticketV1.Ticket> & { tenantId: string; openedAt: Date },
): ticketV1.Ticket {
  return ticketV1.Ticket.fromPartial({
    id: randomUUID(),
    number: 1001,
    title: 'Printer offline',
    status: 'open',
    priority: 'medium',
    source: 'agent',
    version: 1,
    updatedAt: over.openedAt,
    ...over,
  });
}

/** The next version of a ticket: changed fields, version + 1, updatedAt = `at`. */
export function next(t: ticketV1.Ticket, at: Date, over: Partial<ticketV1.Ticket> = {}): ticketV1.Ticket {
  return { ...t, ...over, version: t.version + 1, updatedAt: at };
}

import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headers, type PubAck } from 'nats';
import type { Bus } from './connection';
import { errorMessage } from './logger';
import { busTracer, contextFromTraceparent, injectIntoHeaders } from './trace-context';

/** One outbox row as the relay and replay read it. */
export interface OutboxRow {
  id: string;
  seq: string;
  type: string;
  payload: unknown;
  traceparent: string | null;
}

// pg returns bigint as a string, which is what keyset pagination needs
export const SELECT_COLUMNS = 'id, seq, type, payload, traceparent';

/** `tenant.id` of a stored envelope (always there; a foreign payload just has none). */
function tenantOf(payload: unknown): { 'tenant.id'?: string } {
  const tenantId = (payload as { tenantId?: unknown } | null)?.tenantId;
  return typeof tenantId === 'string' ? { 'tenant.id': tenantId } : {};
}

/**
 * Publishes the stored envelope with `Nats-Msg-Id` = event id, in a `publish <subject>` span whose parent
 * is the traceparent stored with the event; the message's `traceparent` header names the publish span.
 */
export async function publishOutboxRow(bus: Bus, row: OutboxRow): Promise<PubAck> {
  const subject = bus.subject(row.type);
  const parent = contextFromTraceparent(row.traceparent);
  const span = busTracer.startSpan(
    `publish ${subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'send',
        'messaging.destination.name': subject,
        'messaging.message.id': row.id,
        ...tenantOf(row.payload),
      },
    },
    parent,
  );
  try {
    const h = headers();
    injectIntoHeaders(trace.setSpan(parent, span), h);
    const body = Buffer.from(JSON.stringify(row.payload));
    const ack = await bus.js.publish(subject, body, { msgID: row.id, headers: h });
    span.setAttribute('messaging.nats.stream', ack.stream);
    if (ack.duplicate) span.setAttribute('messaging.nats.duplicate', true);
    return ack;
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
    throw err;
  } finally {
    span.end();
  }
}

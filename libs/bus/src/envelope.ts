import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EVENT_TYPE_PATTERN } from './subjects';
import { traceparentOf } from './trace-context';

const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The envelope of every event on the bus (docs/product/events.md "The envelope"). `id` is also the `Nats-Msg-Id`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  /** ISO-8601 instant. */
  occurredAt: string;
  traceparent?: string;
  data: T;
}

/** zod schema of {@link EventEnvelope}; `data` is left to the consumer's own schema. */
export const envelopeSchema = z.object({
  // guid, not uuid: PostgreSQL accepts any 8-4-4-4-12 hex value, so must we
  id: z.guid(),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must look like helpdesk.<domain>.<event>'),
  version: z.number().int().min(1),
  tenantId: z.guid(),
  occurredAt: z.iso.datetime({ offset: true }),
  traceparent: z.string().regex(TRACEPARENT_PATTERN).optional(),
  data: z.unknown().refine((value) => value !== undefined, 'data is required'),
});

export interface CreateEnvelopeInput<T> {
  type: string;
  tenantId: string;
  data: T;
  version?: number;
  /** An id decided beforehand (e.g. one a row already names); a fresh uuid by default. */
  id?: string;
  /** When it happened; now by default. */
  occurredAt?: Date;
}

/**
 * Builds a validated envelope with a fresh id (unless given), the current time (unless given) and the active span's
 * traceparent.
 */
export function createEnvelope<T>(input: CreateEnvelopeInput<T>): EventEnvelope<T> {
  const envelope: EventEnvelope<T> = {
    id: input.id ?? randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    tenantId: input.tenantId,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    data: input.data,
  };
  const traceparent = traceparentOf();
  if (traceparent) envelope.traceparent = traceparent;
  envelopeSchema.parse(envelope);
  created.add(envelope);
  return envelope;
}

// envelopes createEnvelope built and checked, so that enqueueEvent does not check them a second time
const created = new WeakSet<object>();

/** Whether `envelope` came from {@link createEnvelope} (already validated). */
export function isCreatedEnvelope(envelope: EventEnvelope): boolean {
  return created.has(envelope);
}

export type ParseEnvelopeResult = { ok: true; envelope: EventEnvelope } | { ok: false; error: string };

/** Decodes and validates raw message bytes; never throws. */
export function parseEnvelope(raw: Uint8Array | string): ParseEnvelopeResult {
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    return { ok: false, error: 'invalid envelope: not JSON' };
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: `invalid envelope: ${issues}` };
  }
  return { ok: true, envelope: result.data as EventEnvelope };
}

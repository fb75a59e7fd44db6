import { envelopeSchema, isCreatedEnvelope, type EventEnvelope } from './envelope';

/** A Prisma transaction client (`$executeRawUnsafe`) or a pg client inside a transaction (`query`). */
export type OutboxWriter =
  | { $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<unknown> }
  | { query(text: string, values?: unknown[]): PromiseLike<unknown> };

/** The `outbox` and `inbox` tables as Prisma migrates libs/bus/prisma/outbox.prisma (for tests without Prisma). */
export const OUTBOX_TABLES_SQL = `
CREATE TABLE IF NOT EXISTS "outbox" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX IF NOT EXISTS "outbox_seq_key" ON "outbox"("seq");
CREATE INDEX IF NOT EXISTS "outbox_published_at_seq_idx" ON "outbox"("published_at", "seq");
CREATE TABLE IF NOT EXISTS "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer", "event_id")
);
`;

const INSERT_SQL =
  'INSERT INTO outbox (id, type, tenant_id, payload, traceparent) VALUES ($1::uuid, $2, $3::uuid, $4::jsonb, $5)';

/**
 * Writes `envelope` to the outbox inside the caller's transaction, so the event exists if and only if the
 * change it describes commits. Call `relay.nudge()` after the commit.
 */
export async function enqueueEvent(tx: OutboxWriter, envelope: EventEnvelope): Promise<void> {
  await enqueueEvents(tx, [envelope]);
}

/** {@link enqueueEvent} of several envelopes in one statement, in this order (their `seq` follows it). */
export async function enqueueEvents(tx: OutboxWriter, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const values: unknown[] = [];
  for (const envelope of envelopes) {
    const valid = isCreatedEnvelope(envelope) ? envelope : (envelopeSchema.parse(envelope) as EventEnvelope);
    values.push(valid.id, valid.type, valid.tenantId, JSON.stringify(valid), valid.traceparent ?? null);
  }
  const sql =
    envelopes.length === 1
      ? INSERT_SQL
      : `${INSERT_SQL.slice(0, INSERT_SQL.indexOf(' VALUES '))} VALUES ${envelopes
          .map((_, i) => {
            const n = i * 5;
            return `($${n + 1}::uuid, $${n + 2}, $${n + 3}::uuid, $${n + 4}::jsonb, $${n + 5})`;
          })
          .join(', ')}`;
  if ('$executeRawUnsafe' in tx) await tx.$executeRawUnsafe(sql, ...values);
  else await tx.query(sql, values);
}

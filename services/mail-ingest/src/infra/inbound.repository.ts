import { enqueueCatalogEvent } from '@helpdesk/bus';
import type { InboundProgress, InboundRepository, InboundResult, StoreInbound } from '../app/ports';
import {
  duplicateNote,
  type InboundMail,
  type InboundOutcome,
  type InboundStatus,
} from '../domain/inbound-mail';
import { intakeMetrics } from './intake.metrics';
import { isUuid } from './mailbox.repository';
import type { InboundMail as InboundRow, PrismaClient } from './prisma/generated/client';

// A fresh mail is processed by the path that stored it; the retry worker takes it only if that did not finish.
const FIRST_ATTEMPT_GRACE_MS = 30_000;

const SUMMARY = {
  id: true,
  tenantId: true,
  mailboxId: true,
  source: true,
  dedupeKey: true,
  imapUidValidity: true,
  imapUid: true,
  size: true,
  sha256: true,
  messageId: true,
  subject: true,
  fromAddress: true,
  status: true,
  attempts: true,
  lastError: true,
  outcome: true,
  threadingRule: true,
  ticketId: true,
  ticketMessageId: true,
  notes: true,
  receivedAt: true,
  processedAt: true,
  duplicateOfId: true,
  // a copy's ticket is its first mail's
  duplicateOf: { select: { ticketId: true } },
} as const;

type SummaryRow = Pick<InboundRow, Exclude<keyof typeof SUMMARY, 'duplicateOf'>> & {
  duplicateOf: { ticketId: string | null } | null;
};

function toInbound(row: SummaryRow): InboundMail {
  return {
    id: row.id,
    tenantId: row.tenantId,
    mailboxId: row.mailboxId,
    source: row.source === 'imap' ? 'imap' : 'push',
    dedupeKey: row.dedupeKey,
    imapUidValidity: row.imapUidValidity === null ? null : Number(row.imapUidValidity),
    imapUid: row.imapUid === null ? null : Number(row.imapUid),
    size: row.size,
    sha256: row.sha256,
    messageId: row.messageId,
    subject: row.subject,
    from: row.fromAddress,
    status: row.status as InboundStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    outcome: row.outcome as InboundOutcome | null,
    threadingRule: row.threadingRule,
    ticketId: row.ticketId ?? row.duplicateOf?.ticketId ?? null,
    ticketMessageId: row.ticketMessageId,
    notes: row.notes,
    receivedAt: row.receivedAt,
    processedAt: row.processedAt,
    duplicateOfId: row.duplicateOfId,
  };
}

/** The record `insert` wrote, as stored. */
function newMail(input: StoreInbound, duplicateOf: string | null): InboundMail {
  return {
    id: input.id,
    tenantId: input.tenantId,
    mailboxId: input.mailboxId,
    source: input.source,
    dedupeKey: input.dedupeKey,
    imapUidValidity: input.imapUidValidity,
    imapUid: input.imapUid,
    size: input.raw.length,
    sha256: input.sha256,
    messageId: input.messageId?.slice(0, 1000) ?? null,
    subject: input.subject,
    from: input.from,
    status: duplicateOf ? 'done' : 'received',
    attempts: 0,
    lastError: null,
    outcome: duplicateOf ? 'duplicate' : null,
    threadingRule: null,
    ticketId: null,
    ticketMessageId: null,
    notes: duplicateOf ? [duplicateNote(duplicateOf)] : [],
    receivedAt: input.receivedAt,
    processedAt: duplicateOf ? input.receivedAt : null,
    duplicateOfId: duplicateOf,
  };
}

export class PrismaInboundRepository implements InboundRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async store(input: StoreInbound): Promise<{ mail: InboundMail; duplicate: boolean }> {
    // the tenant's first mail with this key holds it in the unique (tenant_id, tenant_key): of two pollers (or a
    // poller and a push) storing copies at the same moment, the database lets exactly one be the first
    if (await this.insert(input, null)) {
      intakeMetrics.received(input.mailboxId, input.source);
      return { mail: newMail(input, null), duplicate: false };
    }
    // a lost race with a copy of this mailbox retries once more; more than that is a bug
    for (let attempt = 0; attempt < 3; attempt++) {
      const own = await this.prisma.inboundMail.findUnique({
        where: { mailboxId_dedupeKey: { mailboxId: input.mailboxId, dedupeKey: input.dedupeKey } },
        select: SUMMARY,
      });
      if (own) {
        if (input.imapUid !== null) {
          // the same mail at a new place in the folder (a copy, or a new UIDVALIDITY): remember where it is now
          await this.prisma.inboundMail.update({
            where: { id: own.id },
            data: { imapUidValidity: BigInt(input.imapUidValidity ?? 0), imapUid: BigInt(input.imapUid) },
          });
        }
        return { mail: toInbound(own), duplicate: true };
      }
      const first = await this.prisma.inboundMail.findUnique({
        where: { tenantId_tenantKey: { tenantId: input.tenantId, tenantKey: input.dedupeKey } },
        select: { id: true, ticketId: true },
      });
      // another mailbox of the tenant took it: this mailbox records its copy (UID and raw source, so that it is not
      // fetched again), done at once, with no ticket change and no event (so no second automatic reply)
      if (first && (await this.insert(input, first.id))) {
        return { mail: { ...newMail(input, first.id), ticketId: first.ticketId }, duplicate: true };
      }
    }
    throw new Error('inbound mail neither stored nor found under its dedupe key');
  }

  /** Inserts the record and its raw source in one statement; false when a dedupe key was taken. */
  private async insert(input: StoreInbound, duplicateOf: string | null): Promise<boolean> {
    const uidValidity = input.imapUidValidity === null ? null : BigInt(input.imapUidValidity);
    const uid = input.imapUid === null ? null : BigInt(input.imapUid);
    const nextAttemptAt = new Date(input.receivedAt.getTime() + FIRST_ATTEMPT_GRACE_MS);
    const tenantKey = duplicateOf ? null : input.dedupeKey;
    const status = duplicateOf ? 'done' : 'received';
    const outcome = duplicateOf ? 'duplicate' : null;
    const processedAt = duplicateOf ? input.receivedAt : null;
    const notes = duplicateOf ? [duplicateNote(duplicateOf)] : [];
    // one statement, so the record and its raw source commit together without an interactive transaction; no
    // conflict target: a repeat in this mailbox and a key the tenant holds both insert nothing
    const rows = await this.prisma.$queryRaw<Array<{ inserted: number }>>`
      WITH ins AS (
        INSERT INTO inbound_mails (id, tenant_id, mailbox_id, source, dedupe_key, tenant_key, duplicate_of_id, imap_uid_validity,
          imap_uid, size, sha256, message_id, subject, from_address, status, outcome, notes, next_attempt_at, received_at, processed_at)
        VALUES (${input.id}::uuid, ${input.tenantId}::uuid, ${input.mailboxId}::uuid, ${input.source}, ${input.dedupeKey},
          ${tenantKey}, ${duplicateOf}::uuid, ${uidValidity}, ${uid}, ${input.raw.length}, ${input.sha256},
          ${input.messageId?.slice(0, 1000) ?? null}, ${input.subject}, ${input.from}, ${status}, ${outcome}, ${notes}::text[],
          ${nextAttemptAt}, ${input.receivedAt}, ${processedAt})
        ON CONFLICT DO NOTHING
        RETURNING id
      ), raw AS (
        INSERT INTO raw_mails (inbound_id, tenant_id, content)
        SELECT id, ${input.tenantId}::uuid, ${new Uint8Array(input.raw)} FROM ins
        RETURNING inbound_id
      )
      SELECT count(*)::int AS inserted FROM raw`;
    return rows[0]?.inserted === 1;
  }

  async claim(id: string, until: Date, force = false): Promise<InboundMail | null> {
    const now = new Date();
    const result = await this.prisma.inboundMail.updateMany({
      where: {
        id,
        OR: [
          { status: { in: force ? ['received', 'retrying', 'quarantined'] : ['received', 'retrying'] } },
          { status: 'processing', claimedUntil: { lt: now } },
        ],
      },
      data: { status: 'processing', claimedUntil: until },
    });
    if (result.count !== 1) return null;
    return this.getAny(id);
  }

  async get(tenantId: string, id: string): Promise<InboundMail | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.inboundMail.findFirst({ where: { id, tenantId }, select: SUMMARY });
    return row ? toInbound(row) : null;
  }

  async getAny(id: string): Promise<InboundMail | null> {
    const row = await this.prisma.inboundMail.findUnique({ where: { id }, select: SUMMARY });
    return row ? toInbound(row) : null;
  }

  async loadRaw(id: string): Promise<Buffer> {
    const row = await this.prisma.rawMail.findUniqueOrThrow({ where: { inboundId: id } });
    return Buffer.from(row.content);
  }

  async progress(id: string): Promise<InboundProgress> {
    const row = await this.prisma.inboundMail.findUniqueOrThrow({
      where: { id },
      select: { progress: true },
    });
    return (row.progress ?? {}) as InboundProgress;
  }

  async saveProgress(id: string, progress: InboundProgress): Promise<void> {
    await this.prisma.inboundMail.update({ where: { id }, data: { progress: progress as object } });
  }

  async complete(id: string, tenantId: string, result: InboundResult, at: Date): Promise<InboundMail> {
    const mail = await this.prisma.$transaction(async (tx) => {
      const row = await tx.inboundMail.update({
        where: { id },
        data: {
          status: 'done',
          claimedUntil: null,
          outcome: result.outcome,
          threadingRule: result.threadingRule,
          ticketId: result.ticketId,
          ticketMessageId: result.ticketMessageId,
          notes: result.notes.map((n) => n.slice(0, 2000)),
          subject: result.subject,
          fromAddress: result.from.slice(0, 320),
          lastError: null,
          processedAt: at,
        },
        select: SUMMARY,
      });
      if (result.event) {
        await enqueueCatalogEvent(tx, 'helpdesk.mail.received', tenantId, result.event);
      }
      return toInbound(row);
    });
    if (result.ticketId) intakeMetrics.ticketed(mail.mailboxId, mail.receivedAt, at);
    return mail;
  }

  async fail(
    id: string,
    update: { error: string; attempts: number; quarantine: boolean; nextAttemptAt: Date },
  ): Promise<InboundMail> {
    const row = await this.prisma.inboundMail.update({
      where: { id },
      data: {
        status: update.quarantine ? 'quarantined' : 'retrying',
        attempts: update.attempts,
        lastError: update.error,
        nextAttemptAt: update.nextAttemptAt,
        claimedUntil: null,
      },
      select: SUMMARY,
    });
    if (update.quarantine) intakeMetrics.quarantined(row.mailboxId);
    return toInbound(row);
  }

  async due(now: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.inboundMail.findMany({
      where: {
        OR: [
          { status: { in: ['received', 'retrying'] }, nextAttemptAt: { lte: now } },
          { status: 'processing', claimedUntil: { lt: now } },
        ],
      },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async statusByUid(
    mailboxId: string,
    uidValidity: number,
    uids: number[],
  ): Promise<Map<number, InboundStatus>> {
    if (uids.length === 0) return new Map();
    const rows = await this.prisma.inboundMail.findMany({
      where: { mailboxId, imapUidValidity: BigInt(uidValidity), imapUid: { in: uids.map((u) => BigInt(u)) } },
      select: { imapUid: true, status: true },
    });
    return new Map(rows.map((r) => [Number(r.imapUid), r.status as InboundStatus]));
  }

  async listQuarantine(
    tenantId: string,
    limit: number,
    after?: { receivedAt: Date; id: string },
  ): Promise<InboundMail[]> {
    const rows = await this.prisma.inboundMail.findMany({
      where: {
        tenantId,
        status: 'quarantined',
        ...(after
          ? {
              OR: [
                { receivedAt: { lt: after.receivedAt } },
                { receivedAt: after.receivedAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: SUMMARY,
    });
    return rows.map(toInbound);
  }

  /** The raw source in chunks, if the mail belongs to the tenant (read in slices, never whole in one answer). */
  async *rawChunks(
    tenantId: string,
    id: string,
    chunkBytes: number,
  ): AsyncGenerator<Buffer | { size: number; sha256: string }> {
    if (!isUuid(id)) return;
    const meta = await this.prisma.inboundMail.findFirst({
      where: { id, tenantId },
      select: { size: true, sha256: true },
    });
    if (!meta) return;
    yield { size: meta.size, sha256: meta.sha256 };
    for (let offset = 0; offset < meta.size; offset += chunkBytes) {
      const rows = await this.prisma.$queryRaw<Array<{ chunk: Uint8Array }>>`
        SELECT substring(content FROM ${offset + 1}::int FOR ${chunkBytes}::int) AS chunk FROM raw_mails WHERE inbound_id = ${id}::uuid`;
      const chunk = rows[0]?.chunk;
      if (!chunk) return;
      yield Buffer.from(chunk);
    }
  }
}

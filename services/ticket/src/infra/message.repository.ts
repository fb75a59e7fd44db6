import type { MessagePageQuery, MessageRepository, MessageWriter, StoredMessage } from '../app/ports';
import type { Attachment, TicketMessage } from '../domain/message';
import type { Prisma, PrismaClient, TicketMessage as MessageRow } from './prisma/generated/client';
import { PrismaAttachmentRepository } from './attachment.repository';
import { translated } from './prisma-errors';

type Db = PrismaClient | Prisma.TransactionClient;

/** Tenant-scoped reads of thread messages, with their attachments. */
export class PrismaMessageRepository implements MessageRepository {
  private readonly attachments: PrismaAttachmentRepository;

  constructor(private readonly db: Db) {
    this.attachments = new PrismaAttachmentRepository(db);
  }

  async findById(tenantId: string, id: string): Promise<TicketMessage | null> {
    const row = await this.db.ticketMessage.findFirst({ where: { tenantId, id } });
    return row ? (await this.withAttachments(tenantId, [row]))[0]!.message : null;
  }

  async findByDedupeKey(tenantId: string, dedupeKey: string): Promise<TicketMessage | null> {
    const row = await this.db.ticketMessage.findFirst({ where: { tenantId, dedupeKey } });
    return row ? (await this.withAttachments(tenantId, [row]))[0]!.message : null;
  }

  async list(query: MessagePageQuery): Promise<StoredMessage[]> {
    const rows = await this.db.ticketMessage.findMany({
      where: {
        tenantId: query.tenantId,
        ticketId: query.ticketId,
        ...(query.customerVisibleOnly ? { kind: { not: 'internal_note' } } : {}),
        ...(query.afterSeq !== undefined ? { seq: { gt: query.afterSeq } } : {}),
      },
      orderBy: { seq: 'asc' },
      take: query.limit,
    });
    return this.withAttachments(query.tenantId, rows);
  }

  private async withAttachments(tenantId: string, rows: MessageRow[]): Promise<StoredMessage[]> {
    const files = await this.attachments.forMessages(
      tenantId,
      rows.map((r) => r.id),
    );
    const byMessage = new Map<string, Attachment[]>();
    for (const file of files)
      byMessage.set(file.messageId!, [...(byMessage.get(file.messageId!) ?? []), file]);
    return rows.map((row) => ({ message: toDomain(row, byMessage.get(row.id) ?? []), seq: row.seq }));
  }
}

/** Thread writes inside a transaction. */
export class PrismaMessageWriter implements MessageWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async insert(message: TicketMessage, dedupeKey?: string): Promise<void> {
    const email = message.email;
    await translated(() =>
      this.tx.ticketMessage.create({
        data: {
          id: message.id,
          tenantId: message.tenantId,
          ticketId: message.ticketId,
          kind: message.kind,
          authorType: message.author.type,
          authorId: message.author.id,
          bodyHtml: message.bodyHtml,
          bodyText: message.bodyText,
          mentions: message.mentions,
          emailMessageId: email?.messageId ?? null,
          emailInReplyTo: email?.inReplyTo ?? null,
          emailReferences: email?.references ?? [],
          emailFrom: email?.from ?? null,
          emailTo: email?.to ?? [],
          emailCc: email?.cc ?? [],
          emailSubject: email?.subject ?? null,
          mailboxId: email?.mailboxId ?? null,
          rawRef: email?.rawRef ?? null,
          threadingRule: message.threadingRule,
          createdAt: message.createdAt,
          dedupeKey: dedupeKey ?? null,
        },
      }),
    );
  }

  async moveAll(tenantId: string, fromTicketId: string, toTicketId: string): Promise<number> {
    const { count } = await this.tx.ticketMessage.updateMany({
      where: { tenantId, ticketId: fromTicketId },
      data: { ticketId: toTicketId },
    });
    return count;
  }
}

function toDomain(row: MessageRow, attachments: Attachment[]): TicketMessage {
  const isEmail = row.kind === 'email_in' || row.kind === 'email_out' || row.emailMessageId !== null;
  return {
    id: row.id,
    tenantId: row.tenantId,
    ticketId: row.ticketId,
    kind: row.kind,
    author: { type: row.authorType, id: row.authorId },
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    attachments,
    mentions: row.mentions ?? [],
    email: isEmail
      ? {
          messageId: row.emailMessageId,
          inReplyTo: row.emailInReplyTo,
          references: row.emailReferences ?? [],
          from: row.emailFrom,
          to: row.emailTo ?? [],
          cc: row.emailCc ?? [],
          subject: row.emailSubject,
          mailboxId: row.mailboxId,
          rawRef: row.rawRef,
        }
      : null,
    threadingRule: row.threadingRule,
    createdAt: row.createdAt,
  };
}

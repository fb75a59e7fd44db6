import type { AttachmentRepository, AttachmentWriter } from '../app/ports';
import type { Attachment } from '../domain/message';
import type { Actor } from '../domain/ticket';
import type { Prisma, PrismaClient, Attachment as AttachmentRow } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaAttachmentRepository implements AttachmentRepository {
  constructor(private readonly db: Db) {}

  async findById(tenantId: string, id: string): Promise<Attachment | null> {
    const row = await this.db.attachment.findFirst({ where: { tenantId, id } });
    return row ? toDomain(row) : null;
  }

  async insert(attachment: Attachment): Promise<void> {
    await this.db.attachment.create({
      data: {
        id: attachment.id,
        tenantId: attachment.tenantId,
        ticketId: attachment.ticketId,
        messageId: attachment.messageId,
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: BigInt(attachment.size),
        sha256: attachment.sha256,
        contentId: attachment.contentId,
        inline: attachment.inline,
        storageKey: attachment.storageKey,
        uploadedByType: attachment.uploadedBy.type,
        uploadedById: attachment.uploadedBy.id,
        createdAt: attachment.createdAt,
      },
    });
  }

  async forMessages(tenantId: string, messageIds: string[]): Promise<Attachment[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db.attachment.findMany({
      where: { tenantId, messageId: { in: messageIds } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toDomain);
  }
}

export class PrismaAttachmentWriter implements AttachmentWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async bind(
    tenantId: string,
    ids: string[],
    ticketId: string,
    messageId: string,
    onlyUploadedBy?: Actor,
  ): Promise<Attachment[]> {
    await this.tx.attachment.updateMany({
      where: {
        tenantId,
        id: { in: ids },
        messageId: null,
        OR: [{ ticketId: null }, { ticketId }],
        ...(onlyUploadedBy ? { uploadedByType: onlyUploadedBy.type, uploadedById: onlyUploadedBy.id } : {}),
      },
      data: { ticketId, messageId },
    });
    const rows = await this.tx.attachment.findMany({
      where: { tenantId, id: { in: ids }, messageId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toDomain);
  }

  async moveAll(tenantId: string, fromTicketId: string, toTicketId: string): Promise<void> {
    await this.tx.attachment.updateMany({
      where: { tenantId, ticketId: fromTicketId },
      data: { ticketId: toTicketId },
    });
  }
}

function toDomain(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    tenantId: row.tenantId,
    ticketId: row.ticketId,
    messageId: row.messageId,
    filename: row.filename,
    contentType: row.contentType,
    size: Number(row.size),
    sha256: row.sha256,
    contentId: row.contentId,
    inline: row.inline,
    storageKey: row.storageKey,
    uploadedBy: { type: row.uploadedByType, id: row.uploadedById },
    createdAt: row.createdAt,
  };
}

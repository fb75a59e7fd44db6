import type { Readable } from 'node:stream';
import { isUuid, notFound, payloadTooLarge, readableSize } from '@helpdesk/platform';
import { isCustomerVisible, type Attachment } from '../domain/message';
import type { Actor } from '../domain/ticket';
import type {
  AttachmentRepository,
  BlobStore,
  Clock,
  DirectoryReader,
  IdGenerator,
  MessageRepository,
  SettingsRepository,
  TicketRepository,
} from './ports';
import { requireVisible, viewerFor } from './portal-viewer';

export interface UploadHeader {
  tenantId: string;
  actor: Actor;
  /** Empty for a file of a ticket that does not exist yet (mail intake). */
  ticketId?: string;
  filename: string;
  contentType: string;
  contentId?: string;
  inline: boolean;
  /** 0 when unknown. */
  declaredSize: number;
}

export interface AttachmentDeps {
  attachments: AttachmentRepository;
  tickets: TicketRepository;
  messages: MessageRepository;
  directory: DirectoryReader;
  settings: SettingsRepository;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
}

/** The refusal of a file over the tenant's limit, which it names as people read it (4096 bytes: "4.0 KB"). */
export function attachmentTooLarge(limit: number) {
  const exact = limit < 1024 ? '' : ` (${limit} bytes)`;
  return payloadTooLarge(`attachments may be at most ${readableSize(limit)}${exact}`);
}

/** Raised inside the content stream when it passes the limit; turned into PAYLOAD_TOO_LARGE. */
class TooLarge extends Error {}

const CONTENT_TYPE_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * Files of tickets (docs/product/tickets.md "Attachments"): streamed into the blob store with their size and
 * SHA-256, up to the tenant's limit (25 MB by default); read back only by someone who may see the ticket — a
 * contact never gets a file of an internal note or of another client's ticket.
 */
export class AttachmentUseCases {
  constructor(private readonly deps: AttachmentDeps) {}

  async upload(header: UploadHeader, content: AsyncIterable<Buffer>): Promise<Attachment> {
    const { tenantId, actor } = header;
    const { attachmentMaxBytes: limit } = await this.deps.settings.get(tenantId);
    const tooLarge = () => attachmentTooLarge(limit);
    if (header.declaredSize > limit) throw tooLarge();
    let ticketId: string | null = null;
    // a contact without portal access uploads nothing, with or without a ticket
    const viewer = await viewerFor(this.deps.directory, tenantId, actor);
    if (header.ticketId) {
      const ticket = isUuid(header.ticketId)
        ? await this.deps.tickets.findById(tenantId, header.ticketId.toLowerCase())
        : null;
      ticketId = requireVisible(ticket, viewer).id;
    }
    const id = this.deps.ids.newId();
    const now = this.deps.clock.now();
    const storageKey = `${tenantId}/${now.toISOString().slice(0, 7)}/${id}`;
    const contentType = safeContentType(header.contentType);
    let stored: { size: number; sha256: string };
    try {
      stored = await this.deps.blobs.put(storageKey, limited(content, limit), contentType);
    } catch (err) {
      if (err instanceof TooLarge) throw tooLarge();
      throw err;
    }
    const attachment: Attachment = {
      id,
      tenantId,
      ticketId,
      messageId: null,
      filename: safeFilename(header.filename),
      contentType,
      size: stored.size,
      sha256: stored.sha256,
      contentId: header.contentId?.trim().replace(/^<|>$/g, '').slice(0, 998) || null,
      inline: header.inline,
      storageKey,
      uploadedBy: actor,
      createdAt: now,
    };
    try {
      await this.deps.attachments.insert(attachment);
    } catch (err) {
      // no row, no file: an orphaned blob would only waste space
      await this.deps.blobs.delete(storageKey).catch(() => undefined);
      throw err;
    }
    return attachment;
  }

  async get(tenantId: string, actor: Actor | undefined, id: string): Promise<Attachment> {
    if (!isUuid(id)) throw notFound('attachment');
    const attachment = await this.deps.attachments.findById(tenantId, id.toLowerCase());
    if (!attachment) throw notFound('attachment');
    const viewer = await viewerFor(this.deps.directory, tenantId, actor);
    if (!viewer) return attachment;
    const ownUpload =
      attachment.uploadedBy.type === 'contact' && attachment.uploadedBy.id === viewer.contactId;
    if (ownUpload && !attachment.messageId) return attachment;
    if (!attachment.ticketId || !attachment.messageId) throw notFound('attachment');
    const ticket = await this.deps.tickets.findById(tenantId, attachment.ticketId);
    try {
      requireVisible(ticket, viewer);
    } catch {
      throw notFound('attachment');
    }
    const message = await this.deps.messages.findById(tenantId, attachment.messageId);
    if (!message || !isCustomerVisible(message.kind)) throw notFound('attachment');
    return attachment;
  }

  async download(
    tenantId: string,
    actor: Actor | undefined,
    id: string,
  ): Promise<{ attachment: Attachment; content: Readable }> {
    const attachment = await this.get(tenantId, actor, id);
    return { attachment, content: await this.deps.blobs.get(attachment.storageKey) };
  }
}

async function* limited(content: AsyncIterable<Buffer>, limit: number): AsyncIterable<Buffer> {
  let size = 0;
  for await (const chunk of content) {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    yield chunk;
  }
}

/** The last path segment without control characters, at most 255 characters; never empty. */
export function safeFilename(raw: string): string {
  const base = raw.replace(/\\/g, '/').split('/').pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'attachment' : clean;
}

export function safeContentType(raw: string): string {
  const type = raw.split(';')[0]!.trim().toLowerCase();
  return CONTENT_TYPE_RE.test(type) ? type : 'application/octet-stream';
}

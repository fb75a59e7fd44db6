// Fakes of the use cases' ports for unit tests: in-memory, with the behaviour the real adapters promise.
import { randomUUID } from 'node:crypto';
import { duplicateNote, type InboundMail } from '../src/domain/inbound-mail';
import type { Mailbox } from '../src/domain/mailbox';
import type {
  AddThreadMessage,
  AttachmentUpload,
  CreateEmailTicket,
  InboundProgress,
  InboundRepository,
  InboundResult,
  MailboxListQuery,
  MailboxRepository,
  StoreInbound,
  TicketChange,
  TicketPort,
  TicketRef,
} from '../src/app/ports';

export interface FakeMessage {
  ticketId: string;
  kind: string;
  bodyText: string;
  emailMessageId: string;
  threadingRule: string;
  attachmentIds: string[];
  author: string;
  rawRef: string;
}

/** The ticket service as a map: dedupe keys make creates and adds idempotent, closed tickets get follow-ups. */
export class FakeTicketService implements TicketPort {
  readonly tickets = new Map<string, TicketRef & { tenantId: string; closed: boolean }>();
  readonly messages: FakeMessage[] = [];
  readonly attachments: AttachmentUpload[] = [];
  readonly bouncing: string[] = [];
  readonly contacts = new Map<string, { id: string; clientId: string }>();
  private readonly byKey = new Map<string, TicketChange>();
  private nextNumber = 1001;
  attachmentLimit = Number.POSITIVE_INFINITY;
  /** Fails the next N calls of createTicket/addMessage after they took effect (a crash after the commit). */
  failAfterCommit = 0;

  addTicket(tenantId: string, fields: Partial<TicketRef> & { closed?: boolean } = {}): TicketRef {
    const ticket = {
      id: randomUUID(),
      number: this.nextNumber++,
      title: 'Existing',
      status: 'open',
      requesterEmail: 'dana@client.example',
      cc: [],
      clientId: '',
      mergedIntoId: '',
      closed: false,
      ...fields,
      tenantId,
    };
    this.tickets.set(ticket.id, ticket);
    return ticket;
  }

  private afterCommit(change: TicketChange): TicketChange {
    if (this.failAfterCommit > 0) {
      this.failAfterCommit--;
      throw new Error('connection lost after commit');
    }
    return change;
  }

  async createTicket(command: CreateEmailTicket): Promise<TicketChange> {
    const earlier = this.byKey.get(command.dedupeKey);
    if (earlier) return { ...earlier, outcome: 'duplicate' };
    const ticket = this.addTicket(command.tenantId, {
      title: command.title,
      requesterEmail: command.requester.email,
      cc: command.cc,
    });
    const id = this.record(ticket.id, command.initialMessage, 'system');
    const change = { ticket, messageId: id, outcome: 'created' };
    this.byKey.set(command.dedupeKey, change);
    return this.afterCommit(change);
  }

  async addMessage(command: AddThreadMessage): Promise<TicketChange> {
    const earlier = this.byKey.get(command.dedupeKey);
    if (earlier) return { ...earlier, outcome: 'duplicate' };
    let ticket = this.tickets.get(command.ticketId);
    if (!ticket || ticket.tenantId !== command.tenantId) throw new Error('no such ticket');
    let outcome = 'appended';
    if (ticket.mergedIntoId) {
      ticket = this.tickets.get(ticket.mergedIntoId)!;
      outcome = 'redirected';
    } else if (ticket.closed && command.message.kind === 'email_in') {
      ticket = this.addTicket(command.tenantId, {
        title: ticket.title,
        requesterEmail: ticket.requesterEmail,
      }) as typeof ticket;
      outcome = 'follow_up';
    }
    const id = this.record(
      ticket.id,
      command.message,
      command.author.type === 'contact' ? command.author.id : 'system',
    );
    const change = { ticket, messageId: id, outcome };
    this.byKey.set(command.dedupeKey, change);
    return this.afterCommit(change);
  }

  private record(ticketId: string, message: CreateEmailTicket['initialMessage'], author: string): string {
    this.messages.push({
      ticketId,
      kind: message.kind,
      bodyText: message.bodyText || message.bodyHtml,
      emailMessageId: message.email?.messageId ?? '',
      threadingRule: message.threadingRule,
      attachmentIds: message.attachmentIds,
      author,
      rawRef: message.email?.rawRef ?? '',
    });
    return randomUUID();
  }

  async findByEmailMessageIds(
    tenantId: string,
    ids: string[],
  ): Promise<{ ticket: TicketRef; matched: string } | null> {
    for (const id of ids) {
      const message = this.messages.find(
        (m) => m.emailMessageId === id && this.tickets.get(m.ticketId)?.tenantId === tenantId,
      );
      if (message) return { ticket: this.tickets.get(message.ticketId)!, matched: id };
    }
    return null;
  }

  async getById(tenantId: string, id: string): Promise<TicketRef | null> {
    const ticket = this.tickets.get(id);
    return ticket && ticket.tenantId === tenantId ? ticket : null;
  }

  async getByNumber(tenantId: string, number: number): Promise<TicketRef | null> {
    return [...this.tickets.values()].find((t) => t.tenantId === tenantId && t.number === number) ?? null;
  }

  async uploadAttachment(upload: AttachmentUpload): Promise<{ id: string } | 'too_large'> {
    if (upload.content.length > this.attachmentLimit) return 'too_large';
    this.attachments.push(upload);
    return { id: randomUUID() };
  }

  async clientOfContact(_tenantId: string, email: string): Promise<string | null> {
    return this.contacts.get(email)?.clientId || null;
  }

  async setBouncing(_tenantId: string, email: string): Promise<void> {
    this.bouncing.push(email);
  }
}

export class InMemoryMailboxes implements MailboxRepository {
  readonly rows = new Map<string, Mailbox>();
  async insert(mailbox: Mailbox): Promise<void> {
    this.rows.set(mailbox.id, { ...mailbox });
  }
  async update(mailbox: Mailbox, previousVersion: number): Promise<boolean> {
    const current = this.rows.get(mailbox.id);
    if (!current || current.version !== previousVersion) return false;
    this.rows.set(mailbox.id, { ...mailbox });
    return true;
  }
  async find(tenantId: string, id: string): Promise<Mailbox | null> {
    const m = this.rows.get(id);
    return m && m.tenantId === tenantId && !m.deletedAt ? { ...m } : null;
  }
  async findAny(id: string): Promise<Mailbox | null> {
    const m = this.rows.get(id);
    return m ? { ...m } : null;
  }
  async list(query: MailboxListQuery): Promise<Mailbox[]> {
    return [...this.rows.values()]
      .filter((m) => m.tenantId === query.tenantId && !m.deletedAt)
      .slice(0, query.limit);
  }
  async listPolled(): Promise<Mailbox[]> {
    return [...this.rows.values()].filter((m) => m.imap && !m.deletedAt);
  }
  async addressesOf(tenantId: string): Promise<string[]> {
    return [...this.rows.values()]
      .filter((m) => m.tenantId === tenantId && !m.deletedAt)
      .map((m) => m.address);
  }
  async defaultOf(tenantId: string): Promise<Mailbox | null> {
    return [...this.rows.values()].find((m) => m.tenantId === tenantId && !m.deletedAt) ?? null;
  }
  async saveSyncState(): Promise<void> {}
}

export class InMemoryInbound implements InboundRepository {
  readonly rows = new Map<
    string,
    InboundMail & {
      raw: Buffer;
      progress: InboundProgress;
      claimedUntil: Date | null;
      tenantKey: string | null;
    }
  >();
  readonly events: NonNullable<InboundResult['event']>[] = [];

  // as the real one: a copy's ticket is its first mail's
  private view(row: InboundMail): InboundMail {
    const first = row.duplicateOfId ? this.rows.get(row.duplicateOfId) : undefined;
    return { ...row, ticketId: row.ticketId ?? first?.ticketId ?? null };
  }

  async store(input: StoreInbound): Promise<{ mail: InboundMail; duplicate: boolean }> {
    const rows = [...this.rows.values()];
    const own = rows.find((r) => r.mailboxId === input.mailboxId && r.dedupeKey === input.dedupeKey);
    if (own) return { mail: this.view(own), duplicate: true };
    const first = rows.find((r) => r.tenantId === input.tenantId && r.tenantKey === input.dedupeKey);
    const row = {
      id: input.id,
      tenantId: input.tenantId,
      mailboxId: input.mailboxId,
      source: input.source,
      dedupeKey: input.dedupeKey,
      tenantKey: first ? null : input.dedupeKey,
      duplicateOfId: first?.id ?? null,
      imapUidValidity: input.imapUidValidity,
      imapUid: input.imapUid,
      size: input.raw.length,
      sha256: input.sha256,
      messageId: input.messageId,
      subject: input.subject,
      from: input.from,
      status: first ? ('done' as const) : ('received' as const),
      attempts: 0,
      lastError: null,
      outcome: first ? ('duplicate' as const) : null,
      threadingRule: null,
      ticketId: null,
      ticketMessageId: null,
      notes: first ? [duplicateNote(first.id)] : [],
      receivedAt: input.receivedAt,
      processedAt: first ? input.receivedAt : null,
      raw: input.raw,
      progress: {},
      claimedUntil: null,
    };
    this.rows.set(row.id, row);
    return { mail: this.view(row), duplicate: Boolean(first) };
  }
  async claim(id: string, until: Date, force = false): Promise<InboundMail | null> {
    const row = this.rows.get(id);
    if (!row) return null;
    const free = ['received', 'retrying'].includes(row.status) || (force && row.status === 'quarantined');
    if (!free) return null;
    row.status = 'processing';
    row.claimedUntil = until;
    return { ...row };
  }
  async get(tenantId: string, id: string): Promise<InboundMail | null> {
    const row = this.rows.get(id);
    return row && row.tenantId === tenantId ? this.view(row) : null;
  }
  async getAny(id: string): Promise<InboundMail | null> {
    const row = this.rows.get(id);
    return row ? this.view(row) : null;
  }
  async loadRaw(id: string): Promise<Buffer> {
    return this.rows.get(id)!.raw;
  }
  async progress(id: string): Promise<InboundProgress> {
    return structuredClone(this.rows.get(id)!.progress);
  }
  async saveProgress(id: string, progress: InboundProgress): Promise<void> {
    this.rows.get(id)!.progress = structuredClone(progress);
  }
  async complete(id: string, _tenantId: string, result: InboundResult, at: Date): Promise<InboundMail> {
    const row = this.rows.get(id)!;
    Object.assign(row, {
      status: 'done',
      outcome: result.outcome,
      threadingRule: result.threadingRule,
      ticketId: result.ticketId,
      ticketMessageId: result.ticketMessageId,
      notes: result.notes,
      processedAt: at,
      lastError: null,
    });
    if (result.event) this.events.push(result.event);
    return { ...row };
  }
  async fail(
    id: string,
    update: { error: string; attempts: number; quarantine: boolean; nextAttemptAt: Date },
  ): Promise<InboundMail> {
    const row = this.rows.get(id)!;
    Object.assign(row, {
      status: update.quarantine ? 'quarantined' : 'retrying',
      attempts: update.attempts,
      lastError: update.error,
    });
    return { ...row };
  }
  async due(): Promise<string[]> {
    return [...this.rows.values()].filter((r) => r.status === 'retrying').map((r) => r.id);
  }
  async statusByUid(): Promise<Map<number, InboundMail['status']>> {
    return new Map();
  }
  async listQuarantine(tenantId: string): Promise<InboundMail[]> {
    return [...this.rows.values()].filter((r) => r.tenantId === tenantId && r.status === 'quarantined');
  }
}

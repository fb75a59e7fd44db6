import { normalizeAddress, verifyMessageId } from '@helpdesk/mail';
import { isDomainError, notFound, readableSize, type Logger } from '@helpdesk/platform';
import { isStorableAddress } from '../domain/address';
import {
  automaticReason,
  isBounce,
  messageIdsInHeaders,
  parseDeliveryStatus,
} from '../domain/automatic-mail';
import {
  dedupeKeyFor,
  sha256Hex,
  ticketDedupeKey,
  type InboundMail,
  type InboundOutcome,
} from '../domain/inbound-mail';
import type { Mailbox } from '../domain/mailbox';
import { scanMimeStructure, type MimeLimits } from '../domain/mime-structure';
import type { ParsedMail } from '../domain/parsed-mail';
import { headerBlockOf, messageIdOf, readTopHeaders } from '../domain/raw-headers';
import { threadingCandidates } from '../domain/threading';
import { decideTicket } from './decide-ticket';
import type {
  Clock,
  EmailHeaders,
  IdGenerator,
  InboundRepository,
  InboundResult,
  MailParser,
  MailboxRepository,
  OutboxNotifier,
  TicketChange,
  TicketPort,
  TicketRef,
} from './ports';

const BODY_MAX = 100_000;
const TITLE_MAX = 250;
const UNKNOWN_SENDER = 'unknown-sender@invalid.invalid';
// what one thread message holds at most (the ticket service's limits); the raw source keeps the rest
const MAX_ATTACHMENTS = 100;
const MAX_LIST = 500;

export interface PipelineOptions extends MimeLimits {
  /** Attempts (of failures that are not outages) before a mail is quarantined. */
  maxAttempts: number;
  /** How long one processing attempt may hold a mail before another worker may take it over. */
  claimMs: number;
  /** First retry delay; doubles per attempt, at most a minute. */
  retryBaseMs: number;
  /** Secrets our Message-IDs are signed with (current first). */
  messageIdSecrets: string[];
}

export interface PipelineDeps {
  inbound: InboundRepository;
  mailboxes: MailboxRepository;
  tickets: TicketPort;
  parser: MailParser;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  options: PipelineOptions;
  /** Told after a ticket change and its event committed, so that the relay publishes at once. */
  outbox?: OutboxNotifier;
}

export interface IntakeInput {
  mailbox: Mailbox;
  source: 'imap' | 'push';
  raw: Buffer;
  imapUidValidity?: number;
  imapUid?: number;
}

const MAX_RETRY_MS = 60_000;

/**
 * The one pipeline behind IMAP and push intake: the raw source is stored first (a crash after that loses
 * nothing), then the mail is parsed, its ticket decided, and the ticket changed through the ticket service with a
 * dedupe key derived from the mailbox and the mail, so that running it again after a crash changes nothing twice.
 */
export class MailPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  private readonly mailboxCache = new Map<string, { at: number; mailbox: Promise<Mailbox | null> }>();
  private readonly addressCache = new Map<string, { at: number; addresses: Promise<string[]> }>();

  // read for every mail, changed rarely: a few seconds of staleness only delays a settings change
  private async mailboxOf(id: string): Promise<Mailbox> {
    const cached = this.mailboxCache.get(id);
    const entry =
      cached && Date.now() - cached.at < CACHE_MS
        ? cached
        : { at: Date.now(), mailbox: this.deps.mailboxes.findAny(id) };
    this.mailboxCache.set(id, entry);
    const mailbox = await entry.mailbox;
    if (!mailbox) {
      this.mailboxCache.delete(id);
      throw notFound('mailbox');
    }
    return mailbox;
  }

  private ownAddresses(tenantId: string): Promise<string[]> {
    const cached = this.addressCache.get(tenantId);
    const entry =
      cached && Date.now() - cached.at < CACHE_MS
        ? cached
        : { at: Date.now(), addresses: this.deps.mailboxes.addressesOf(tenantId) };
    this.addressCache.set(tenantId, entry);
    return entry.addresses;
  }

  /**
   * Stores a mail, or finds the one this mailbox already took with the same Message-ID (or, without one, content);
   * a mail another mailbox of the tenant took first is recorded for this mailbox as done, a duplicate of that one.
   * Either way `duplicate` says there is nothing left to do (no processing, no ticket change, no event).
   */
  async intake(input: IntakeInput): Promise<{ mail: InboundMail; duplicate: boolean }> {
    const headers = readTopHeaders(input.raw);
    const messageId = messageIdOf(headers);
    const sha256 = sha256Hex(input.raw);
    const stored = await this.deps.inbound.store({
      id: this.deps.ids.newId(),
      tenantId: input.mailbox.tenantId,
      mailboxId: input.mailbox.id,
      source: input.source,
      dedupeKey: dedupeKeyFor(messageId, sha256),
      imapUidValidity: input.imapUidValidity ?? null,
      imapUid: input.imapUid ?? null,
      raw: input.raw,
      sha256,
      messageId,
      subject: (headers.get('subject')?.[0] ?? '').slice(0, 1000),
      from: (headers.get('from')?.[0] ?? '').slice(0, 320),
      receivedAt: this.deps.clock.now(),
    });
    if (stored.duplicate && stored.mail.duplicateOfId && stored.mail.mailboxId === input.mailbox.id) {
      this.deps.logger.info(
        {
          tenantId: stored.mail.tenantId,
          mailboxId: input.mailbox.id,
          inboundId: stored.mail.id,
          duplicateOf: stored.mail.duplicateOfId,
        },
        'mail already taken through another mailbox',
      );
    }
    return stored;
  }

  /** Runs one stored mail through the pipeline; failures are recorded for a retry or the quarantine, never thrown. */
  async process(id: string, options: { force?: boolean; raw?: Buffer } = {}): Promise<InboundMail> {
    const { inbound, clock, options: config } = this.deps;
    const claimed = await inbound.claim(id, new Date(clock.now().getTime() + config.claimMs), options.force);
    if (!claimed) {
      const current = await inbound.getAny(id);
      if (!current) throw notFound('inbound mail');
      return current;
    }
    try {
      const result = await this.run(claimed, options.raw);
      const done = await inbound.complete(claimed.id, claimed.tenantId, result, clock.now());
      if (result.event) this.deps.outbox?.nudge();
      return done;
    } catch (err) {
      const outage = isDomainError(err) && err.code === 'UNAVAILABLE';
      const attempts = claimed.attempts + 1;
      const quarantine = !outage && attempts >= config.maxAttempts;
      const delay = Math.min(config.retryBaseMs * 2 ** (attempts - 1), MAX_RETRY_MS);
      const error = isDomainError(err)
        ? `${err.code}: ${err.message}`
        : `internal error (${(err as Error)?.name ?? 'unknown'})`;
      this.deps.logger[quarantine ? 'error' : 'warn'](
        { err, inboundId: claimed.id, tenantId: claimed.tenantId, attempts, quarantine },
        quarantine ? 'mail quarantined' : 'mail processing failed; will retry',
      );
      return inbound.fail(claimed.id, {
        error: error.slice(0, 1000),
        attempts,
        quarantine,
        nextAttemptAt: new Date(clock.now().getTime() + delay),
      });
    }
  }

  private async run(mail: InboundMail, given?: Buffer): Promise<InboundResult> {
    const { inbound, parser, options } = this.deps;
    const mailbox = await this.mailboxOf(mail.mailboxId);
    // the caller that stored it may hand the bytes over; else they come from the raw store
    const raw = given ?? (await inbound.loadRaw(mail.id));
    const structure = scanMimeStructure(raw, options);
    let parsed: ParsedMail;
    const notes: string[] = [];
    if (structure.exceeded) {
      const why =
        structure.exceeded === 'depth'
          ? `it nests MIME parts more than ${options.maxDepth} levels deep`
          : `it has more than ${options.maxParts} MIME parts`;
      notes.push(`This message was not parsed: ${why}. Its raw source is kept and can be downloaded.`);
      parsed = await parser.parse(headerBlockOf(raw));
      parsed.text = notes[0]!;
      parsed.html = null;
      parsed.attachments = [];
    } else {
      parsed = await parser.parse(raw);
    }
    notes.push(...parsed.notes);
    if (isBounce(parsed.header)) return this.bounce(mail, mailbox, parsed, notes, raw);
    return this.ticketChange(mail, mailbox, parsed, notes);
  }

  private async ticketChange(
    mail: InboundMail,
    mailbox: Mailbox,
    parsed: ParsedMail,
    notes: string[],
  ): Promise<InboundResult> {
    const { tickets, inbound, options } = this.deps;
    const tenantId = mail.tenantId;
    const written = parsed.from?.address ? normalizeAddress(parsed.from.address) : '';
    // an address no contact can have (e.g. non-ASCII, no domain) leaves the requester unknown, never the mail
    const from = isStorableAddress(written) ? written : '';
    if (!written) notes.push('The sender could not be read from the message.');
    else if (!from)
      notes.push(
        `The sender address "${written.slice(0, 320)}" cannot be a contact's address; the requester is unknown.`,
      );
    const decision = await decideTicket(
      { tenantId, inReplyTo: parsed.inReplyTo, references: parsed.references, subject: parsed.subject, from },
      tickets,
      options.messageIdSecrets,
    );

    // attachments: uploaded once each; a retry reuses what an earlier attempt stored
    const progress = parsed.attachments.length > 0 ? await inbound.progress(mail.id) : {};
    const uploaded = { ...(progress.attachments ?? {}) };
    const attachmentIds: string[] = [];
    const oversize: Array<{ filename: string; size: number }> = [];
    if (parsed.attachments.length > MAX_ATTACHMENTS) {
      notes.push(
        `Only the first ${MAX_ATTACHMENTS} of ${parsed.attachments.length} attachments were added; the raw source holds all of them.`,
      );
    }
    for (const [index, attachment] of parsed.attachments.slice(0, MAX_ATTACHMENTS).entries()) {
      let stored = uploaded[String(index)];
      if (stored === undefined) {
        const answer = await tickets.uploadAttachment({
          tenantId,
          ticketId: decision.kind === 'append' ? decision.ticket.id : '',
          filename: attachment.filename,
          contentType: attachment.contentType,
          contentId: attachment.contentId,
          inline: attachment.inline,
          content: attachment.content,
        });
        stored = answer === 'too_large' ? 'too_large' : answer.id;
        uploaded[String(index)] = stored;
        await inbound.saveProgress(mail.id, { ...progress, attachments: uploaded });
      }
      if (stored === 'too_large') oversize.push({ filename: attachment.filename, size: attachment.size });
      else attachmentIds.push(stored);
    }

    const subject = parsed.subject.trim();
    const body = bodyOf(parsed, notes);
    const email: EmailHeaders = {
      messageId: parsed.messageId ?? '',
      inReplyTo: parsed.inReplyTo ?? '',
      references: parsed.references.slice(-MAX_LIST),
      from: written || UNKNOWN_SENDER,
      to: parsed.to.slice(0, MAX_LIST),
      cc: parsed.cc.slice(0, MAX_LIST),
      subject,
      mailboxId: mailbox.id,
      rawRef: mail.id,
    };
    const key = ticketDedupeKey(mailbox.id, mail.dedupeKey);
    const message = {
      kind: 'email_in' as const,
      ...body,
      attachmentIds,
      email,
      threadingRule: decision.rule,
    };
    let change: TicketChange;
    if (decision.kind === 'append') {
      // e-mail intake writes as the platform (only it may add email_in); the sender is in the e-mail headers
      change = await tickets.addMessage({
        tenantId,
        ticketId: decision.ticket.id,
        author: { type: 'system' },
        message,
        dedupeKey: key,
      });
    } else {
      const ownAddresses = new Set([normalizeAddress(mailbox.address)]);
      change = await tickets.createTicket({
        tenantId,
        title: (subject || '(no subject)').slice(0, TITLE_MAX),
        description: body.bodyHtml || body.bodyText,
        requester: { email: from || UNKNOWN_SENDER, name: (parsed.from?.name ?? '').slice(0, 200) },
        cc: parsed.cc
          .map(normalizeAddress)
          .filter((cc) => isStorableAddress(cc) && !ownAddresses.has(cc) && cc !== from)
          .slice(0, 50),
        followUpOfId: '',
        initialMessage: message,
        dedupeKey: key,
      });
    }

    const systemNotes = [...notes];
    if (decision.kind === 'new' && decision.named) {
      systemNotes.unshift(
        `The subject named ticket #${decision.named.number}, but the sender is not its requester, a cc or a contact of its client, so this mail was opened as a new ticket related to #${decision.named.number}.`,
      );
    }
    if (oversize.length > 0) {
      systemNotes.push(
        `Left out for their size (over the attachment limit): ${oversize.map((a) => `${a.filename} (${readableSize(a.size)})`).join(', ')}. The sender was told; the raw source holds them.`,
      );
    }
    if (systemNotes.length > 0) {
      await tickets.addMessage({
        tenantId,
        ticketId: change.ticket.id,
        author: { type: 'system' },
        message: {
          kind: 'system',
          bodyHtml: '',
          bodyText: systemNotes.join('\n\n'),
          attachmentIds: [],
          threadingRule: '',
        },
        dedupeKey: ticketDedupeKey(mailbox.id, mail.dedupeKey, 'notes'),
      });
    }

    const outcome = outcomeOf(decision.kind, change.outcome);
    const ownAddresses = await this.ownAddresses(tenantId);
    return {
      outcome,
      threadingRule: decision.rule,
      ticketId: change.ticket.id,
      ticketMessageId: change.messageId || null,
      notes: systemNotes,
      subject: subject.slice(0, 1000),
      from,
      event: {
        inboundId: mail.id,
        mailboxId: mailbox.id,
        ticketId: change.ticket.id,
        ticketNumber: change.ticket.number,
        ticketTitle: change.ticket.title,
        outcome,
        threadingRule: decision.rule,
        from,
        fromName: parsed.from?.name ?? '',
        subject,
        messageId: parsed.messageId ?? '',
        references: parsed.references.slice(-MAX_LIST),
        automaticReason: automaticReason(parsed.header, from, [...ownAddresses, mailbox.address]) ?? '',
        oversizeAttachments: oversize,
      },
    };
  }

  /** A delivery report: a system message on the bounced message's ticket, the address marked; never a ticket, never a reply. */
  private async bounce(
    mail: InboundMail,
    mailbox: Mailbox,
    parsed: ParsedMail,
    notes: string[],
    raw: Buffer,
  ): Promise<InboundResult> {
    const { tickets, options } = this.deps;
    const tenantId = mail.tenantId;
    // the message/delivery-status part is plain text in the source; parsers fold it into the body
    const failures = parseDeliveryStatus(raw.subarray(0, 1024 * 1024).toString('latin1'));
    const failed = new Set(failures.filter((f) => f.action === 'failed').map((f) => f.recipient));
    for (const address of (parsed.header('x-failed-recipients') ?? '').split(',')) {
      const normalized = normalizeAddress(address);
      if (normalized.includes('@')) failed.add(normalized);
    }
    const returned = parsed.attachments
      .filter((a) =>
        ['text/rfc822-headers', 'message/rfc822', 'message/global-headers'].includes(
          a.contentType.toLowerCase(),
        ),
      )
      .flatMap((a) => messageIdsInHeaders(a.content.subarray(0, 64 * 1024).toString('utf8')));
    const candidates = [
      ...new Set([...returned, ...threadingCandidates(parsed.inReplyTo, parsed.references)]),
    ];

    let ticket: TicketRef | null = null;
    for (const id of candidates) {
      const ticketId = verifyMessageId(id, tenantId, options.messageIdSecrets);
      ticket = ticketId ? await tickets.getById(tenantId, ticketId) : null;
      if (ticket) break;
    }
    if (!ticket && candidates.length > 0)
      ticket = (await tickets.findByEmailMessageIds(tenantId, candidates))?.ticket ?? null;

    for (const address of failed) await tickets.setBouncing(tenantId, address);

    const lines = failures.length
      ? failures.map(
          (f) =>
            `${f.recipient}: ${f.action || 'unknown'}${f.status ? ` (${f.status})` : ''}${f.diagnostic ? ` ${f.diagnostic}` : ''}`,
        )
      : [...failed].map((address) => `${address}: failed`);
    const text = [
      `Delivery report: ${parsed.subject || 'mail could not be delivered'}`,
      ...lines,
      ...notes,
    ].join('\n');
    let messageId: string | null = null;
    if (ticket) {
      const change = await tickets.addMessage({
        tenantId,
        ticketId: ticket.id,
        author: { type: 'system' },
        message: {
          kind: 'system',
          bodyHtml: '',
          bodyText: text.slice(0, BODY_MAX),
          attachmentIds: [],
          threadingRule: 'bounce',
          email: {
            messageId: parsed.messageId ?? '',
            inReplyTo: parsed.inReplyTo ?? '',
            references: parsed.references.slice(-MAX_LIST),
            from: parsed.from?.address ? normalizeAddress(parsed.from.address) : '',
            to: parsed.to,
            cc: parsed.cc,
            subject: parsed.subject,
            mailboxId: mailbox.id,
            rawRef: mail.id,
          },
        },
        dedupeKey: ticketDedupeKey(mailbox.id, mail.dedupeKey),
      });
      ticket = change.ticket;
      messageId = change.messageId || null;
    }
    const outcome: InboundOutcome = ticket ? 'bounce' : 'bounce_unmatched';
    return {
      outcome,
      threadingRule: 'bounce',
      ticketId: ticket?.id ?? null,
      ticketMessageId: messageId,
      notes: [...(failed.size ? [`Marked as bouncing: ${[...failed].join(', ')}`] : []), ...notes],
      subject: parsed.subject.slice(0, 1000),
      from: parsed.from?.address ? normalizeAddress(parsed.from.address) : '',
      event: null,
    };
  }
}

const CACHE_MS = 10_000;

function outcomeOf(kind: 'append' | 'new', answered: string): InboundOutcome {
  if (kind === 'new') return 'created';
  if (answered === 'redirected' || answered === 'follow_up') return answered;
  return 'appended';
}

function bodyOf(parsed: ParsedMail, notes: string[]): { bodyHtml: string; bodyText: string } {
  let text = parsed.text;
  if (text.length > BODY_MAX) {
    text = text.slice(0, BODY_MAX - 200);
    notes.push('The text was cut to fit the thread; the raw source holds all of it.');
  }
  let html = parsed.html ?? '';
  if (html.length > BODY_MAX) {
    // the sanitizer closes what the cut leaves open
    html = html.slice(0, BODY_MAX - 200);
    notes.push('The HTML body was cut to fit the thread; the raw source holds all of it.');
  }
  if (!text.trim() && !html) text = '(no text)';
  return { bodyHtml: html, bodyText: text };
}

import { SpanKind } from '@opentelemetry/api';
import type { ImapFlow } from 'imapflow';
import type { Logger } from '@helpdesk/platform';
import type { MailPipeline } from '../app/mail-pipeline';
import { ReauthorizationNeeded } from '../app/mailbox-oauth.use-cases';
import type { TokenSource } from '../app/mailboxes.use-cases';
import type { InboundRepository, MailboxRepository, SecretBox } from '../app/ports';
import type { InboundStatus } from '../domain/inbound-mail';
import type { Mailbox } from '../domain/mailbox';
import { mapLimit } from './concurrency';
import { inMailSpan, processInSpan } from './mail-spans';
import { describeImapError, imapClient } from './imap-connection';
import { WakeSignal, type Wait } from './wake-signal';

export interface PollerOptions {
  /** The keyword that marks a message processed when it is not moved. */
  processedKeyword: string;
  /** UIDs looked at per round. */
  batchSize: number;
  /** Bytes of sources fetched per round trip. */
  fetchBytes: number;
  /** Mails processed at once. */
  concurrency: number;
  /** With IDLE: read the folder again at least this often anyway (IMAP_RESYNC_SECONDS). */
  idleResyncMs: number;
  /** An OAuth2 session ends this long before its token expires, and the next one logs in with a fresh token. */
  tokenMarginMs: number;
}

export interface PollerDeps {
  pipeline: MailPipeline;
  inbound: InboundRepository;
  mailboxes: MailboxRepository;
  secrets: SecretBox;
  tokens: TokenSource;
  logger: Logger;
  options: PollerOptions;
}

const DONE: ReadonlySet<InboundStatus> = new Set(['done']);

/**
 * Reads one mailbox's folder: every message not yet marked processed is stored and run through the pipeline; it
 * is flagged (or moved) only once its ticket change committed. Waits with IDLE where the server offers it, else
 * polls every `pollIntervalSeconds`. A UIDVALIDITY change re-reads the folder; dedupe keeps that from doubling.
 */
export class MailboxPoller {
  private stopped = false;
  private client: ImapFlow | null = null;
  // raised by new mail (EXISTS) at any time, also during a fetch round: the next wait then returns at once
  private readonly mail = new WakeSignal();
  // the backoff between sessions ends early only for stop()
  private readonly stopping = new WakeSignal();
  private waiting: Wait | null = null;
  private readonly done: Promise<void>;
  private uidValidity: number;
  private lastUid: number;

  constructor(
    readonly mailbox: Mailbox,
    private readonly deps: PollerDeps,
  ) {
    this.uidValidity = mailbox.uidValidity;
    this.lastUid = mailbox.lastUid;
    this.done = this.run();
  }

  private get log() {
    return { mailboxId: this.mailbox.id, tenantId: this.mailbox.tenantId };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.mail.raise();
    this.stopping.raise();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.session();
        failures = 0;
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof ReauthorizationNeeded) {
          // no retry loop against a refused grant: the supervisor leaves the mailbox alone until it is signed in again
          this.deps.logger.warn(
            { ...this.log, reason: err.reason },
            'mailbox needs a new oauth2 sign-in; not polled',
          );
          await this.deps.mailboxes
            .saveSyncState(this.mailbox.id, {
              uidValidity: this.uidValidity,
              lastUid: this.lastUid,
              error: `needs reauthorization: ${err.reason}`.slice(0, 1000),
              at: new Date(),
            })
            .catch(() => undefined);
          break;
        }
        failures++;
        const error = describeImapError(err);
        this.deps.logger.warn({ ...this.log, error, failures }, 'imap session failed; will reconnect');
        await this.deps.mailboxes
          .saveSyncState(this.mailbox.id, {
            uidValidity: this.uidValidity,
            lastUid: this.lastUid,
            error,
            at: new Date(),
          })
          .catch(() => undefined);
        await this.stopping.wait(Math.min(1000 * 2 ** Math.min(failures, 6), 60_000)).done;
      } finally {
        const client = this.client;
        this.client = null;
        if (client) client.close();
      }
    }
  }

  /** Logs in with the password, or with the current OAuth2 token, refreshed once if the server refuses it. */
  private async connect(): Promise<{ client: ImapFlow; tokenExpiresAt: Date | null } | null> {
    const { imap, imapSecret } = this.mailbox;
    if (!imap) return null;
    const oauth2 = imap.auth === 'oauth2';
    if (!oauth2 && !imapSecret) return null;
    let current = oauth2
      ? await this.deps.tokens.currentToken(this.mailbox)
      : { token: this.deps.secrets.open(imapSecret!), expiresAt: null };
    for (let attempt = 0; ; attempt++) {
      const client = imapClient(
        { host: imap.host, port: imap.port, tls: imap.tls, user: imap.user, secret: current.token, oauth2 },
        { disableAutoIdle: true },
      );
      this.client = client;
      client.on('error', (err: Error) =>
        this.deps.logger.warn({ ...this.log, error: describeImapError(err) }, 'imap connection error'),
      );
      try {
        await client.connect();
        return { client, tokenExpiresAt: current.expiresAt };
      } catch (err) {
        client.close();
        this.client = null;
        if (!oauth2 || attempt > 0 || !(err as { authenticationFailed?: boolean }).authenticationFailed)
          throw err;
        // revoked or expired early at the server: one refresh, one more login
        this.deps.logger.info({ ...this.log }, 'imap refused the oauth2 token; refreshing it once');
        current = await this.deps.tokens.currentToken(this.mailbox, current.token);
      }
    }
  }

  private async session(): Promise<void> {
    const connected = await this.connect();
    if (!connected) return;
    const { client, tokenExpiresAt } = connected;
    const imap = this.mailbox.imap!;
    // reconnect (with a refreshed token) before the token runs out: some servers end the session when it does
    const sessionEnds = tokenExpiresAt
      ? Math.max(tokenExpiresAt.getTime() - this.deps.options.tokenMarginMs, Date.now() + 5000)
      : Infinity;
    let closed = false;
    client.on('close', () => {
      closed = true;
      this.waiting?.end();
    });
    client.on('exists', () => this.mail.raise());
    const idle = client.capabilities.has('IDLE');
    this.deps.logger.info({ ...this.log, idle }, 'imap connected');
    while (!this.stopped && !closed && client.usable && Date.now() < sessionEnds) {
      // selected again each round: a folder deleted and made again (new UIDVALIDITY) is noticed here, since
      // servers do not always tell an idling client about it
      const opened = await client.mailboxOpen(imap.folder);
      await this.sync(client, Number(opened.uidValidity));
      if (this.stopped || closed || !client.usable) break;
      // mail announced while the round ran was not in its SEARCH: look again now, not after the whole wait
      if (this.mail.take()) continue;
      const waitMs = Math.max(
        0,
        Math.min(
          idle ? this.deps.options.idleResyncMs : this.mailbox.pollIntervalSeconds * 1000,
          sessionEnds - Date.now(),
        ),
      );
      const waiting = this.mail.wait(waitMs);
      this.waiting = waiting;
      // IDLE ends when the next command is sent (the sync after a wake-up) or when the server ends it (the folder
      // was deleted, the connection dropped): the latter ends this wait only, so that our own next command (which
      // ends IDLE too) does not wake a later wait
      if (idle) void client.idle().then(waiting.end, waiting.end);
      await waiting.done;
      this.waiting = null;
    }
    if (Date.now() >= sessionEnds && !this.stopped) {
      this.deps.logger.info({ ...this.log }, 'imap session ends before its oauth2 token expires');
      await client.logout().catch(() => client.close());
    }
  }

  private keywordUsable(client: ImapFlow): boolean {
    const flags = client.mailbox ? client.mailbox.permanentFlags : undefined;
    return !flags || flags.has('\\*') || flags.has(this.deps.options.processedKeyword);
  }

  private async sync(client: ImapFlow, uidValidity: number): Promise<void> {
    const { inbound, pipeline, options, logger } = this.deps;
    if (uidValidity !== this.uidValidity) {
      if (this.uidValidity !== 0)
        logger.warn(
          { ...this.log, from: this.uidValidity, to: uidValidity },
          'uidvalidity changed; re-reading the folder',
        );
      this.uidValidity = uidValidity;
      this.lastUid = 0;
    }
    const moveTo = this.mailbox.imap?.processedFolder ?? null;
    const useKeyword = this.keywordUsable(client);
    const query = moveTo
      ? { all: true }
      : useKeyword
        ? { unKeyword: options.processedKeyword }
        : { seen: false };
    const found = await client.search(query, { uid: true });
    const uids = (found || []).sort((a, b) => a - b);

    for (let start = 0; start < uids.length && !this.stopped; start += options.batchSize) {
      const batch = uids.slice(start, start + options.batchSize);
      const known = await inbound.statusByUid(this.mailbox.id, uidValidity, batch);
      const processed = batch.filter((uid) => DONE.has(known.get(uid) as InboundStatus));
      const unknown = batch.filter((uid) => !known.has(uid));

      for (const group of await this.groupsBySize(client, unknown)) {
        const sources: Array<{ uid: number; raw: Buffer }> = [];
        for await (const message of client.fetch(
          group.join(','),
          { uid: true, source: true },
          { uid: true },
        )) {
          if (message.source) sources.push({ uid: message.uid, raw: message.source });
        }
        const outcomes = await mapLimit(sources, options.concurrency, ({ uid, raw }) =>
          // one trace per mail: its fetch, storing, processing and everything the ticket change causes
          inMailSpan(
            `imap fetch ${this.mailbox.imap?.folder ?? ''}`.trim(),
            {
              root: true,
              kind: SpanKind.CONSUMER,
              attributes: {
                'tenant.id': this.mailbox.tenantId,
                'helpdesk.mailbox.id': this.mailbox.id,
                'network.protocol.name': 'imap',
                'server.address': this.mailbox.imap?.host ?? '',
                'imap.uid': uid,
                'messaging.message.body.size': raw.length,
              },
            },
            async () => {
              const { mail, duplicate } = await pipeline.intake({
                mailbox: this.mailbox,
                source: 'imap',
                raw,
                imapUidValidity: uidValidity,
                imapUid: uid,
              });
              const after = duplicate ? mail : await processInSpan(pipeline, mail.id, { raw });
              return { uid, status: after.status };
            },
          ),
        );
        processed.push(...outcomes.filter((o) => DONE.has(o.status)).map((o) => o.uid));
      }
      if (processed.length > 0) {
        const range = processed.sort((a, b) => a - b).join(',');
        if (moveTo) await client.messageMove(range, moveTo, { uid: true });
        else
          await client.messageFlagsAdd(range, [useKeyword ? options.processedKeyword : '\\Seen'], {
            uid: true,
          });
      }
      this.lastUid = Math.max(this.lastUid, ...batch);
      await this.deps.mailboxes.saveSyncState(this.mailbox.id, {
        uidValidity,
        lastUid: this.lastUid,
        error: null,
        at: new Date(),
      });
    }
    if (uids.length === 0) {
      await this.deps.mailboxes.saveSyncState(this.mailbox.id, {
        uidValidity,
        lastUid: this.lastUid,
        error: null,
        at: new Date(),
      });
    }
  }

  /** Splits UIDs into groups whose sources together stay under `fetchBytes` (a 25 MB mail goes alone). */
  private async groupsBySize(client: ImapFlow, uids: number[]): Promise<number[][]> {
    if (uids.length === 0) return [];
    const sizes = new Map<number, number>();
    for await (const message of client.fetch(uids.join(','), { uid: true, size: true }, { uid: true })) {
      sizes.set(message.uid, message.size ?? 0);
    }
    const groups: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const uid of uids) {
      if (!sizes.has(uid)) continue; // expunged meanwhile
      const size = sizes.get(uid)!;
      if (current.length > 0 && bytes + size > this.deps.options.fetchBytes) {
        groups.push(current);
        current = [];
        bytes = 0;
      }
      current.push(uid);
      bytes += size;
    }
    if (current.length > 0) groups.push(current);
    return groups;
  }
}

export interface ImapIntakeDeps extends PollerDeps {
  leases: { acquire(mailboxId: string): Promise<boolean>; release(mailboxId: string): Promise<void> };
  /** How often leases are renewed and mailboxes looked for (a third of the lease time). */
  supervisorIntervalMs: number;
}

/** Runs a poller for every mailbox whose lease this replica holds, and none for the others. */
export class ImapIntake {
  private readonly pollers = new Map<string, MailboxPoller>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ImapIntakeDeps) {}

  start(): void {
    const tick = () => {
      this.running = this.supervise()
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'imap supervisor round failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.deps.supervisorIntervalMs);
        });
    };
    tick();
  }

  /** Reads the mailboxes now (tests, and after a mailbox was created or changed). */
  async poke(): Promise<void> {
    await this.running;
    if (!this.stopped) await this.supervise();
  }

  private async supervise(): Promise<void> {
    const mailboxes = await this.deps.mailboxes.listPolled();
    const wanted = new Set<string>();
    for (const mailbox of mailboxes) {
      if (this.stopped) return;
      if (!(await this.deps.leases.acquire(mailbox.id))) continue;
      wanted.add(mailbox.id);
      const running = this.pollers.get(mailbox.id);
      if (running && running.mailbox.version === mailbox.version) continue;
      if (running) await running.stop();
      this.pollers.set(mailbox.id, new MailboxPoller(mailbox, this.deps));
    }
    for (const [id, poller] of this.pollers) {
      if (wanted.has(id)) continue;
      this.pollers.delete(id);
      await poller.stop();
      await this.deps.leases.release(id).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all(
      [...this.pollers.entries()].map(async ([id, poller]) => {
        await poller.stop();
        await this.deps.leases.release(id).catch(() => undefined);
      }),
    );
    this.pollers.clear();
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { mailV1 } from '@helpdesk/contracts';
import { clientStreaming, serverStreaming, STREAM_CHUNK_BYTES, unary } from '@helpdesk/grpc';
import { invalidArgument, notFound, payloadTooLarge, unauthenticated, type Logger } from '@helpdesk/platform';
import type { MailPipeline } from '../../app/mail-pipeline';
import type { MailboxOAuthUseCases } from '../../app/mailbox-oauth.use-cases';
import type { MailboxUseCases } from '../../app/mailboxes.use-cases';
import type { InboundRepository, MailboxRepository } from '../../app/ports';
import { sha256Hex } from '../../domain/inbound-mail';
import { decodeCursor, encodeCursor, toProtoInbound, toProtoMailbox } from './mail.mapper';
import {
  byIdSchema,
  completeOAuthSchema,
  createMailboxSchema,
  listSchema,
  outboundSettingsSchema,
  pushHeaderSchema,
  rawSchema,
  startOAuthSchema,
  updateMailboxSchema,
} from './mail.schemas';

export interface MailHandlerDeps {
  mailboxUseCases: MailboxUseCases;
  oauthUseCases: MailboxOAuthUseCases;
  mailboxes: MailboxRepository;
  inbound: InboundRepository;
  rawChunks(
    tenantId: string,
    id: string,
    chunkBytes: number,
  ): AsyncGenerator<Buffer | { size: number; sha256: string }>;
  pipeline: MailPipeline;
  maxBytes: number;
  /** Called after a mailbox was created or changed, so that its poller starts or restarts at once. */
  mailboxesChanged(): void;
  logger: Logger;
}

/** MailIngestService: proto in, zod-checked input to the use cases, proto out. */
export function mailHandlers(
  deps: MailHandlerDeps,
): mailV1.MailIngestServiceServer & UntypedServiceImplementation {
  const { logger, mailboxUseCases: mailboxes } = deps;

  const pushRawMail = clientStreaming<mailV1.PushRawMailRequest, mailV1.PushRawMailResponse>(
    async (requests) => {
      let header: { mailboxId: string; intakeToken: string } | null = null;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const request of requests) {
        if (request.part?.$case === 'header') {
          if (header) throw invalidArgument('the header comes once, first');
          header = pushHeaderSchema.parse(request.part.value);
        } else if (request.part?.$case === 'chunk') {
          if (!header) throw invalidArgument('the header comes first');
          size += request.part.value.length;
          if (size > deps.maxBytes) throw payloadTooLarge(`mail is larger than ${deps.maxBytes} bytes`);
          chunks.push(request.part.value);
        }
      }
      if (!header) throw invalidArgument('the header is missing');
      const mailbox = await deps.mailboxes.findAny(header.mailboxId);
      const given = Buffer.from(sha256Hex(header.intakeToken), 'hex');
      const valid =
        mailbox && !mailbox.deletedAt && timingSafeEqual(given, Buffer.from(mailbox.intakeTokenHash, 'hex'));
      // an unknown mailbox answers like a wrong token: the path must not tell which mailbox ids exist
      if (!mailbox || !valid) throw unauthenticated('unknown mailbox or wrong intake token');
      const raw = Buffer.concat(chunks, size);
      if (raw.length === 0) throw invalidArgument('the mail is empty');
      const { mail, duplicate } = await deps.pipeline.intake({ mailbox, source: 'push', raw });
      logger.info(
        { tenantId: mailbox.tenantId, mailboxId: mailbox.id, inboundId: mail.id, duplicate, size },
        'mail pushed',
      );
      const after = duplicate ? mail : await deps.pipeline.process(mail.id, { raw });
      return { mail: toProtoInbound(after), duplicate };
    },
    logger,
  );

  const streamRawMail = serverStreaming<mailV1.StreamRawMailRequest, mailV1.StreamRawMailResponse>(
    async (request, send) => {
      const input = rawSchema.parse(request);
      let any = false;
      for await (const part of deps.rawChunks(input.tenantId, input.rawRef, STREAM_CHUNK_BYTES)) {
        any = true;
        await send(
          Buffer.isBuffer(part)
            ? { part: { $case: 'chunk', value: part } }
            : { part: { $case: 'info', value: part } },
        );
      }
      if (!any) throw notFound('raw mail');
    },
    logger,
  );

  return {
    createMailbox: unary(async (request: mailV1.CreateMailboxRequest) => {
      const input = createMailboxSchema.parse(request);
      const { mailbox, intakeToken } = await mailboxes.create(input);
      logger.info({ tenantId: mailbox.tenantId, mailboxId: mailbox.id }, 'mailbox created');
      deps.mailboxesChanged();
      return { mailbox: toProtoMailbox(mailbox), intakeToken };
    }, logger),

    getMailbox: unary(async (request: mailV1.GetMailboxRequest) => {
      const input = byIdSchema.parse(request);
      return { mailbox: toProtoMailbox(await mailboxes.get(input.tenantId, input.id)) };
    }, logger),

    listMailboxes: unary(async (request: mailV1.ListMailboxesRequest) => {
      const input = listSchema.parse(request);
      const after = decodeCursor(input.page.cursor, 2);
      const page = await mailboxes.list(
        input.tenantId,
        input.page.limit,
        after ? { name: after[0]!, id: after[1]! } : undefined,
      );
      const last = page.items[page.items.length - 1];
      return {
        items: page.items.map(toProtoMailbox),
        nextCursor: page.more && last ? encodeCursor([last.name, last.id]) : '',
      };
    }, logger),

    updateMailbox: unary(async (request: mailV1.UpdateMailboxRequest) => {
      const input = updateMailboxSchema.parse(request);
      const { mailbox, intakeToken } = await mailboxes.update(input);
      logger.info({ tenantId: mailbox.tenantId, mailboxId: mailbox.id }, 'mailbox updated');
      deps.mailboxesChanged();
      return { mailbox: toProtoMailbox(mailbox), intakeToken };
    }, logger),

    deleteMailbox: unary(async (request: mailV1.DeleteMailboxRequest) => {
      const input = byIdSchema.parse(request);
      await mailboxes.delete(input.tenantId, input.id);
      logger.info({ tenantId: input.tenantId, mailboxId: input.id }, 'mailbox deleted');
      deps.mailboxesChanged();
      return {};
    }, logger),

    testMailbox: unary(async (request: mailV1.TestMailboxRequest) => {
      const input = byIdSchema.parse(request);
      return mailboxes.test(input.tenantId, input.id);
    }, logger),

    pushRawMail,
    streamRawMail,

    getInboundMail: unary(async (request: mailV1.GetInboundMailRequest) => {
      const input = byIdSchema.parse(request);
      const mail = await deps.inbound.get(input.tenantId, input.id);
      if (!mail) throw notFound('inbound mail');
      return { mail: toProtoInbound(mail) };
    }, logger),

    listQuarantine: unary(async (request: mailV1.ListQuarantineRequest) => {
      const input = listSchema.parse(request);
      const after = decodeCursor(input.page.cursor, 2);
      const afterKey =
        after && !Number.isNaN(Date.parse(after[0]!))
          ? { receivedAt: new Date(after[0]!), id: after[1]! }
          : undefined;
      const rows = await deps.inbound.listQuarantine(input.tenantId, input.page.limit + 1, afterKey);
      const items = rows.slice(0, input.page.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toProtoInbound),
        nextCursor:
          rows.length > input.page.limit && last
            ? encodeCursor([last.receivedAt.toISOString(), last.id])
            : '',
      };
    }, logger),

    retryQuarantined: unary(async (request: mailV1.RetryQuarantinedRequest) => {
      const input = byIdSchema.parse(request);
      const mail = await deps.inbound.get(input.tenantId, input.id);
      if (!mail) throw notFound('inbound mail');
      if (mail.status !== 'quarantined') throw invalidArgument('only a quarantined mail can be retried');
      logger.info({ tenantId: input.tenantId, inboundId: mail.id }, 'quarantined mail retried');
      return { mail: toProtoInbound(await deps.pipeline.process(mail.id, { force: true })) };
    }, logger),

    getOutboundSettings: unary(async (request: mailV1.GetOutboundSettingsRequest) => {
      const input = outboundSettingsSchema.parse(request);
      const { mailbox, password, accessToken, accessTokenExpiresAt } = await mailboxes.outboundSettings(
        input.tenantId,
        input.mailboxId || null,
      );
      return {
        mailboxId: mailbox.id,
        name: mailbox.name,
        address: mailbox.address,
        host: mailbox.smtp.host,
        port: mailbox.smtp.port,
        tls: mailbox.smtp.tls,
        user: mailbox.smtp.user ?? '',
        password,
        version: mailbox.version,
        auth: accessToken ? 'oauth2' : 'password',
        accessToken,
        ...(accessTokenExpiresAt ? { accessTokenExpiresAt } : {}),
      };
    }, logger),

    startMailboxOAuth: unary(async (request: mailV1.StartMailboxOAuthRequest) => {
      const input = startOAuthSchema.parse(request);
      return deps.oauthUseCases.start(input);
    }, logger),

    completeMailboxOAuth: unary(async (request: mailV1.CompleteMailboxOAuthRequest) => {
      const input = completeOAuthSchema.parse(request);
      const { mailbox, provider } = await deps.oauthUseCases.complete(input.query);
      deps.mailboxesChanged();
      return { tenantId: mailbox.tenantId, mailboxId: mailbox.id, mailboxName: mailbox.name, provider };
    }, logger),
  };
}

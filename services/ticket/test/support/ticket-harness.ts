// The ticket service in-process (real gRPC server on port 0) against real PostgreSQL and NATS JetStream, in a
// database, a BUS_PREFIX and a blob directory of its own, with promise clients of each of its gRPC services.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectBus, createEnvelope, envelopeSchema, type Bus, type EventEnvelope } from '@helpdesk/bus';
import {
  attachmentV1,
  commonV1,
  directoryV1,
  identityEventsV1,
  templateV1,
  ticketSettingsV1,
  ticketV1,
} from '@helpdesk/contracts';
import { createGrpcClient, receiveStream, sendStream, type PromiseClient } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import {
  inProcessServiceEnv,
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@helpdesk/testing';
import { credentials } from '@grpc/grpc-js';
import { ticketConfigSchema } from '../../src/config';
import { buildTicketService, type RunningTicketService } from '../../src/ticket-service';

export const agent = (id: string = randomUUID()): commonV1.Actor => ({
  type: commonV1.ActorType.ACTOR_TYPE_USER,
  id,
});
export const contactActor = (id: string): commonV1.Actor => ({
  type: commonV1.ActorType.ACTOR_TYPE_CONTACT,
  id,
});
export const system: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' };

export interface TicketHarness {
  service: RunningTicketService;
  db: TestDatabase;
  prefix: string;
  tickets: PromiseClient<ticketV1.TicketServiceClient>;
  directory: PromiseClient<directoryV1.DirectoryServiceClient>;
  templates: PromiseClient<templateV1.TemplateServiceClient>;
  settings: PromiseClient<ticketSettingsV1.TicketSettingsServiceClient>;
  attachments: attachmentV1.AttachmentServiceClient;
  /** Every event the relay published in this run, in order. */
  events: EventEnvelope[];
  bus: Bus;
  /** Uploads `content` through the streaming RPC. */
  upload(
    header: Partial<attachmentV1.UploadAttachmentHeader>,
    content: Buffer[],
  ): Promise<ticketV1.Attachment>;
  /** Downloads through the streaming RPC: metadata and content. */
  download(
    request: Partial<attachmentV1.DownloadAttachmentRequest>,
  ): Promise<{ attachment: ticketV1.Attachment; content: Buffer }>;
  /** Waits until the relay published an event matching `match`. */
  event(type: string, match: (e: EventEnvelope) => boolean): Promise<EventEnvelope>;
  /** Waits until the relay published a `type` event of the ticket `ticketId`; answers its data. */
  ticketEvent(type: string, ticketId: string): Promise<unknown>;
  /** Publishes an identity user event, as identity would, and waits until the ticket service knows the user. */
  knowUser(
    tenantId: string,
    user: { id: string; handle: string; name: string; active?: boolean },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startTicketHarness(env: Record<string, string> = {}): Promise<TicketHarness> {
  const prefix = uniquePrefix('tk');
  const db = await createTestDatabase('ticket');
  const blobDir = await mkdtemp(path.join(tmpdir(), 'hd-blobs-'));
  const bus = await connectBus({
    servers: NATS_URL,
    prefix,
    name: 'ticket-test',
    logger: createLogger('ticket-test', 'silent'),
  });
  const events: EventEnvelope[] = [];
  bus.nc.subscribe(`${prefix}.helpdesk.ticket.>`, {
    callback: (_err, msg) => {
      const parsed = envelopeSchema.safeParse(JSON.parse(new TextDecoder().decode(msg.data)));
      if (parsed.success) events.push(parsed.data as EventEnvelope);
    },
  });
  const config = ticketConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    BLOB_DIR: blobDir,
    ...env,
  });
  const service = await buildTicketService(config);
  const address = `127.0.0.1:${service.grpcPort}`;
  const attachments = new attachmentV1.AttachmentServiceClient(address, credentials.createInsecure());
  const harness: TicketHarness = {
    service,
    db,
    prefix,
    bus,
    events,
    tickets: createGrpcClient(ticketV1.TicketServiceClient, address),
    directory: createGrpcClient(directoryV1.DirectoryServiceClient, address),
    templates: createGrpcClient(templateV1.TemplateServiceClient, address),
    settings: createGrpcClient(ticketSettingsV1.TicketSettingsServiceClient, address),
    attachments,
    async upload(header, content) {
      async function* parts(): AsyncIterable<attachmentV1.UploadAttachmentRequest> {
        yield { part: { $case: 'header', value: attachmentV1.UploadAttachmentHeader.fromPartial(header) } };
        for (const chunk of content) yield { part: { $case: 'chunk', value: chunk } };
      }
      const res = await sendStream<
        attachmentV1.UploadAttachmentRequest,
        attachmentV1.UploadAttachmentResponse
      >((cb) => attachments.uploadAttachment(cb), parts());
      return res.attachment!;
    },
    async download(request) {
      let attachment: ticketV1.Attachment | undefined;
      const chunks: Buffer[] = [];
      for await (const r of receiveStream(
        attachments.downloadAttachment(attachmentV1.DownloadAttachmentRequest.fromPartial(request)),
      )) {
        if (r.part?.$case === 'attachment') attachment = r.part.value;
        if (r.part?.$case === 'chunk') chunks.push(r.part.value);
      }
      return { attachment: attachment!, content: Buffer.concat(chunks) };
    },
    event: (type, match) =>
      waitFor(`a published ${type}`, () => events.find((e) => e.type === type && match(e))),
    ticketEvent: async (type, ticketId) =>
      (
        await waitFor(`a published ${type} of ${ticketId}`, () =>
          events.find(
            (e) => e.type === type && (e.data as { ticket?: { id?: string } }).ticket?.id === ticketId,
          ),
        )
      ).data,
    async knowUser(tenantId, user) {
      await bus.ensureStream('identity');
      const envelope = createEnvelope({
        type: 'helpdesk.identity.user_created',
        tenantId,
        data: identityEventsV1.UserChangedEvent.toJSON({
          userId: user.id,
          email: `${user.handle}@msp.example`,
          name: user.name,
          role: 'agent',
          handle: user.handle,
          active: user.active ?? true,
        }),
      });
      await bus.js.publish(bus.subject(envelope.type), JSON.stringify(envelope), { msgID: envelope.id });
      await waitFor(`user ${user.handle} in the read model`, async () => {
        const rows = await service.prisma.userView.count({
          where: { id: user.id, active: user.active ?? true },
        });
        return rows > 0;
      });
    },
    async stop() {
      harness.tickets.close();
      harness.directory.close();
      harness.templates.close();
      harness.settings.close();
      attachments.close();
      await service.stop();
      await bus.close();
      await deletePrefixedStreams(prefix);
      await db.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A CreateTicket request with sensible defaults (proto3 fields filled). */
export function createRequest(
  tenantId: string,
  over: Partial<ticketV1.CreateTicketRequest> = {},
): ticketV1.CreateTicketRequest {
  return ticketV1.CreateTicketRequest.fromPartial({
    tenantId,
    actor: agent('5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d'),
    title: 'Outlook keeps asking for the password',
    description: 'Since this morning.',
    requester: { email: 'Dana@Client.example', name: 'Dana Client' },
    ...over,
  });
}

export const get = (tenantId: string, id: string, actor?: commonV1.Actor) =>
  ticketV1.GetTicketRequest.fromPartial({ tenantId, id, actor });

export const list = (tenantId: string, over: Partial<ticketV1.ListTicketsRequest> = {}) =>
  ticketV1.ListTicketsRequest.fromPartial({ tenantId, ...over });

export function reply(
  tenantId: string,
  ticketId: string,
  actor: commonV1.Actor,
  kind: string,
  text: string,
  over: Partial<ticketV1.AddMessageRequest> = {},
): ticketV1.AddMessageRequest {
  return ticketV1.AddMessageRequest.fromPartial({
    tenantId,
    actor,
    ticketId,
    message: { kind, bodyText: text },
    ...over,
  });
}

export const update = (tenantId: string, id: string, over: Partial<ticketV1.UpdateTicketRequest>) =>
  ticketV1.UpdateTicketRequest.fromPartial({ tenantId, actor: agent(), id, ...over });

export { envelopeSchema };

import {
  attachmentV1,
  automationV1,
  directoryV1,
  identityV1,
  mailV1,
  notificationV1,
  notificationFeedV1,
  reportingV1,
  slaV1,
  templateV1,
  ticketSettingsV1,
  ticketV1,
  timekeepingV1,
  webhookV1,
} from '@helpdesk/contracts';
import {
  chunksOf,
  createGrpcClient,
  createStreamingClient,
  grpcChannelOptions,
  grpcTarget,
  receiveStream,
  sendStream,
} from '@helpdesk/grpc';
import { internal } from '@helpdesk/platform';
import type { AttachmentPort, MailPort } from '../app/ports';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export function createIdentityClient(address: string, deadlineMs: number) {
  return createGrpcClient(identityV1.IdentityServiceClient, address, { deadlineMs });
}

export function createTicketClient(address: string, deadlineMs: number) {
  return createGrpcClient(ticketV1.TicketServiceClient, address, { deadlineMs });
}

/** The ticket service's DirectoryService (same address as TicketService). */
export function createDirectoryClient(address: string, deadlineMs: number) {
  return createGrpcClient(directoryV1.DirectoryServiceClient, address, { deadlineMs });
}

/** The ticket service's TemplateService and TicketSettingsService (same address as TicketService). */
export function createTemplateClient(address: string, deadlineMs: number) {
  return createGrpcClient(templateV1.TemplateServiceClient, address, { deadlineMs });
}

export function createTicketSettingsClient(address: string, deadlineMs: number) {
  return createGrpcClient(ticketSettingsV1.TicketSettingsServiceClient, address, { deadlineMs });
}

/** The ticket service's AttachmentService with streamed uploads and downloads (same address as TicketService). */
export function createAttachmentClient(
  address: string,
  deadlineMs: number,
): AttachmentPort & { close(): void } {
  const client = createStreamingClient(attachmentV1.AttachmentServiceClient, address);
  // files are large: the deadline covers waiting for the service, not the whole transfer
  const transferMs = Math.max(deadlineMs, 10 * 60_000);
  return {
    async upload(header, content) {
      async function* requests(): AsyncIterable<attachmentV1.UploadAttachmentRequest> {
        yield { part: { $case: 'header', value: header } };
        for await (const chunk of content) yield { part: { $case: 'chunk', value: chunk } };
      }
      const response = await sendStream<
        attachmentV1.UploadAttachmentRequest,
        attachmentV1.UploadAttachmentResponse
      >(
        (callback) =>
          client.uploadAttachment(new grpc.Metadata(), { deadline: Date.now() + transferMs }, callback),
        requests(),
      );
      if (!response.attachment) throw internal('Ticket service returned no attachment');
      return response.attachment;
    },
    async download(request) {
      const stream = receiveStream(
        client.downloadAttachment(request, new grpc.Metadata(), { deadline: Date.now() + transferMs }),
      );
      const first = await stream.next();
      if (first.done || first.value.part?.$case !== 'attachment') {
        await stream.return(undefined);
        throw internal('Ticket service sent no attachment metadata');
      }
      async function* content(): AsyncIterable<Buffer> {
        for await (const message of stream) if (message.part?.$case === 'chunk') yield message.part.value;
      }
      return { attachment: first.value.part.value, content: content() };
    },
    close: () => client.close(),
  };
}

export function createTimekeepingClient(address: string, deadlineMs: number) {
  return createGrpcClient(timekeepingV1.TimekeepingServiceClient, address, { deadlineMs });
}

export function createSlaClient(address: string, deadlineMs: number) {
  return createGrpcClient(slaV1.SlaServiceClient, address, { deadlineMs });
}

export function createAutomationClient(address: string, deadlineMs: number) {
  return createGrpcClient(automationV1.AutomationServiceClient, address, { deadlineMs });
}

export function createReportingClient(address: string, deadlineMs: number) {
  return createGrpcClient(reportingV1.ReportingServiceClient, address, { deadlineMs });
}

export function createNotificationClient(address: string, deadlineMs: number) {
  return createGrpcClient(notificationV1.NotificationServiceClient, address, { deadlineMs });
}

export function createNotificationFeedClient(address: string, deadlineMs: number) {
  return createGrpcClient(notificationFeedV1.NotificationFeedServiceClient, address, { deadlineMs });
}

/** The notification service's WebhookService (same address as NotificationService). */
export function createWebhookClient(address: string, deadlineMs: number) {
  return createGrpcClient(webhookV1.WebhookServiceClient, address, { deadlineMs });
}

/** mail-ingest: the unary RPCs, plus the raw push (client stream) and the raw download (server stream). */
export function createMailClient(address: string, deadlineMs: number): MailPort & { close(): void } {
  const unary = createGrpcClient(mailV1.MailIngestServiceClient, address, { deadlineMs });
  const streams = createStreamingClient(mailV1.MailIngestServiceClient, address);
  // a large mail is stored and parsed before the answer; a download may be slow to read
  const transferMs = Math.max(deadlineMs, 5 * 60_000);
  return {
    ...unary,
    pushRawMail: (header, raw) =>
      sendStream<mailV1.PushRawMailRequest, mailV1.PushRawMailResponse>(
        (callback) =>
          streams.pushRawMail(new grpc.Metadata(), { deadline: Date.now() + transferMs }, callback),
        (async function* () {
          yield { part: { $case: 'header' as const, value: header } };
          for (const chunk of chunksOf(raw)) yield { part: { $case: 'chunk' as const, value: chunk } };
        })(),
      ),
    async streamRawMail(request) {
      const stream = receiveStream(
        streams.streamRawMail(request, new grpc.Metadata(), { deadline: Date.now() + transferMs }),
      );
      const first = await stream.next();
      if (first.done || first.value.part?.$case !== 'info') {
        await stream.return(undefined);
        throw internal('Mail service sent no raw-source metadata');
      }
      async function* content(): AsyncIterable<Buffer> {
        for await (const message of stream) if (message.part?.$case === 'chunk') yield message.part.value;
      }
      return { size: Number(first.value.part.value.size), content: content() };
    },
    close: () => {
      unary.close();
      streams.close();
    },
  };
}

const HealthClient = grpc.makeClientConstructor(
  healthService as grpc.ServiceDefinition,
  'grpc.health.v1.Health',
);

interface HealthCheckClient {
  check(deadlineMs: number): Promise<void>;
  close(): void;
}

/** grpc.health.v1 Check against a peer (server-wide status, service ""); rejects unless SERVING. */
export function createHealthClient(address: string): HealthCheckClient {
  const client = new HealthClient(
    grpcTarget(address),
    grpc.credentials.createInsecure(),
    grpcChannelOptions(address),
  ) as unknown as grpc.Client & {
    Check: (
      request: { service: string },
      options: Partial<grpc.CallOptions>,
      callback: (err: grpc.ServiceError | null, response?: { status?: string }) => void,
    ) => void;
  };
  return {
    check: (deadlineMs) =>
      new Promise<void>((resolve, reject) => {
        client.Check({ service: '' }, { deadline: Date.now() + deadlineMs }, (err, response) => {
          // /readyz is reachable from outside: say what is wrong without addresses or error text.
          if (err) return reject(new Error(`unreachable (${grpc.status[err.code] ?? err.code})`));
          if (response?.status !== 'SERVING')
            return reject(new Error(`not serving (${response?.status ?? 'UNKNOWN'})`));
          resolve();
        });
      }),
    close: () => client.close(),
  };
}

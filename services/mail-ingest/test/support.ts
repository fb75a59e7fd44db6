// Shared set-up of the mail-ingest integration specs: the service in-process on port 0 against the real
// PostgreSQL and NATS, in its own database and BUS_PREFIX, with promise clients of its gRPC API.
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { mailV1 } from '@helpdesk/contracts';
import { chunksOf, createGrpcClient, receiveStream, sendStream, type PromiseClient } from '@helpdesk/grpc';
import {
  inProcessServiceEnv,
  createTestDatabase,
  deletePrefixedStreams,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import { mailIngestConfigSchema } from '../src/config';
import {
  buildMailIngestService,
  type MailIngestServiceOptions,
  type RunningMailIngestService,
} from '../src/mail-ingest-service';

export interface MailIngestHarness {
  service: RunningMailIngestService;
  db: TestDatabase;
  client: PromiseClient<mailV1.MailIngestServiceClient>;
  push(mailboxId: string, token: string, raw: Buffer): Promise<mailV1.PushRawMailResponse>;
  raw(tenantId: string, rawRef: string): Promise<Buffer>;
  messageIdSecret: string;
  stop(): Promise<void>;
}

export interface SharedState {
  db: TestDatabase;
  prefix: string;
  secretKey: string;
  messageIdSecret: string;
}

/**
 * Starts the service; with `shared`, a second replica on the same database, stream prefix and secrets; `options`
 * can put another ticket port in place of the gRPC client (a slow ticket service, one that counts its calls).
 */
export async function startMailIngest(
  env: Record<string, string>,
  shared?: SharedState,
  options: Pick<MailIngestServiceOptions, 'tickets'> = {},
): Promise<MailIngestHarness & { shared: SharedState }> {
  const prefix = shared?.prefix ?? uniquePrefix('mi');
  const db = shared?.db ?? (await createTestDatabase('mail-ingest'));
  const messageIdSecret = shared?.messageIdSecret ?? randomBytes(32).toString('hex');
  const secretKey = shared?.secretKey ?? randomBytes(32).toString('base64');
  const config = mailIngestConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    MAIL_SECRET_KEY: secretKey,
    MAIL_MESSAGE_ID_SECRET: messageIdSecret,
    IMAP_LEASE_SECONDS: '3',
    MAIL_RETRY_BASE_MS: '100',
    ...env,
  });
  const service = await buildMailIngestService(config, options);
  const address = `127.0.0.1:${service.grpcPort}`;
  const client = createGrpcClient(mailV1.MailIngestServiceClient, address);
  const streams = new mailV1.MailIngestServiceClient(address, grpc.credentials.createInsecure());
  return {
    shared: { db, prefix, secretKey, messageIdSecret },
    service,
    db,
    client,
    messageIdSecret,
    push: (mailboxId, intakeToken, raw) =>
      sendStream<mailV1.PushRawMailRequest, mailV1.PushRawMailResponse>(
        (callback) => streams.pushRawMail(callback),
        (async function* () {
          yield { part: { $case: 'header' as const, value: { mailboxId, intakeToken } } };
          for (const chunk of chunksOf(raw)) yield { part: { $case: 'chunk' as const, value: chunk } };
        })(),
      ),
    async raw(tenantId, rawRef) {
      const parts: Buffer[] = [];
      for await (const part of receiveStream(streams.streamRawMail({ tenantId, rawRef }))) {
        if (part.part?.$case === 'chunk') parts.push(part.part.value);
      }
      return Buffer.concat(parts);
    },
    async stop() {
      client.close();
      streams.close();
      await service.stop();
      // a replica leaves the shared database and streams to the first
      if (shared) return;
      await deletePrefixedStreams(prefix);
      await db.drop();
    },
  };
}

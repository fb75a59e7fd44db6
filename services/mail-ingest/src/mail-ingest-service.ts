// Composition of the mail-ingest service on the shared runtime: pipeline → IMAP intake, retry worker → gRPC. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mailV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { MailPipeline } from './app/mail-pipeline';
import { MailboxUseCases } from './app/mailboxes.use-cases';
import type { TicketPort } from './app/ports';
import type { MailIngestConfig } from './config';
import { ImapIntake } from './infra/imap-poller';
import { PrismaInboundRepository } from './infra/inbound.repository';
import { MailServerCheckerLive } from './infra/mail-server.checker';
import { PrismaMailboxRepository } from './infra/mailbox.repository';
import { MailboxLeases } from './infra/mailbox-lease';
import { MailparserAdapter } from './infra/mailparser.adapter';
import { PrismaClient } from './infra/prisma/generated/client';
import { RetryWorker } from './infra/retry-worker';
import { AesGcmSecretBox } from '@helpdesk/security';
import { GrpcTicketAdapter } from './infra/ticket-service.adapter';
import { mailHandlers } from './transport/grpc/mail.handlers';

export interface MailIngestServiceOptions extends RuntimeOptions {
  /** Replaces the gRPC ticket service adapter (unit-level composition only). */
  tickets?: TicketPort;
}

export type RunningMailIngestService = RunningService<
  PrismaClient,
  { pipeline: MailPipeline; imap: ImapIntake | undefined }
>;

export function buildMailIngestService(
  config: MailIngestConfig,
  options: MailIngestServiceOptions = {},
): Promise<RunningMailIngestService> {
  return runService(
    {
      name: 'mail-ingest',
      config,
      prisma: (url) => createPrismaClient(PrismaClient, url, { max: config.MAIL_CONCURRENCY + 6 }),
      streams: ['mail'],
      compose({ prisma, outbox, logger, shutdown }) {
        let tickets = options.tickets;
        if (!tickets) {
          const adapter = new GrpcTicketAdapter(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
          shutdown.onShutdown('ticket client', () => adapter.close());
          tickets = adapter;
        }
        const mailboxes = new PrismaMailboxRepository(prisma);
        const inbound = new PrismaInboundRepository(prisma);
        const secrets = new AesGcmSecretBox(config.MAIL_SECRET_KEY);
        const clock = { now: () => new Date() };
        const ids = { newId: () => randomUUID() };
        const pipeline = new MailPipeline({
          inbound,
          mailboxes,
          tickets,
          parser: new MailparserAdapter(),
          clock,
          ids,
          logger,
          outbox,
          options: {
            maxDepth: config.MAIL_MAX_DEPTH,
            maxParts: config.MAIL_MAX_PARTS,
            maxAttempts: config.MAIL_MAX_ATTEMPTS,
            claimMs: 120_000,
            retryBaseMs: config.MAIL_RETRY_BASE_MS,
            messageIdSecrets: [
              config.MAIL_MESSAGE_ID_SECRET,
              ...(config.MAIL_MESSAGE_ID_SECRET_PREVIOUS ? [config.MAIL_MESSAGE_ID_SECRET_PREVIOUS] : []),
            ],
          },
        });
        const mailboxUseCases = new MailboxUseCases({
          mailboxes,
          secrets,
          checker: new MailServerCheckerLive(),
          clock,
          ids,
          defaultPollSeconds: config.IMAP_DEFAULT_POLL_SECONDS,
        });

        const retry = new RetryWorker(inbound, pipeline, logger, { intervalMs: 1000, concurrency: 4 });
        retry.start();
        shutdown.onShutdown('retry worker', () => retry.stop());

        let imap: ImapIntake | undefined;
        if (config.IMAP_ENABLED) {
          const leaseMs = config.IMAP_LEASE_SECONDS * 1000;
          imap = new ImapIntake({
            pipeline,
            inbound,
            mailboxes,
            secrets,
            logger,
            leases: new MailboxLeases(
              prisma,
              `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
              leaseMs,
            ),
            supervisorIntervalMs: Math.floor(leaseMs / 3),
            options: {
              processedKeyword: config.IMAP_PROCESSED_KEYWORD,
              batchSize: 200,
              fetchBytes: 32 * 1024 * 1024,
              concurrency: config.MAIL_CONCURRENCY,
              idleResyncMs: config.IMAP_RESYNC_SECONDS * 1000,
            },
          });
          imap.start();
          const running = imap;
          shutdown.onShutdown('imap intake', () => running.stop());
        }

        return {
          grpc: [
            {
              definition: mailV1.MailIngestServiceService,
              implementation: mailHandlers({
                mailboxUseCases,
                mailboxes,
                inbound,
                rawChunks: (tenantId, id, bytes) => inbound.rawChunks(tenantId, id, bytes),
                pipeline,
                maxBytes: config.MAIL_MAX_BYTES,
                mailboxesChanged: () => void imap?.poke().catch(() => undefined),
                logger,
              }),
            },
          ],
          started: { imap: Boolean(imap) },
          expose: { pipeline, imap },
        };
      },
    },
    options,
  );
}

// Composition of the mail-ingest service on the shared runtime: pipeline → IMAP intake, retry worker → gRPC. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mailV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { MailPipeline } from './app/mail-pipeline';
import { MailboxOAuthUseCases } from './app/mailbox-oauth.use-cases';
import { MailboxUseCases } from './app/mailboxes.use-cases';
import type { TicketPort } from './app/ports';
import type { MailIngestConfig } from './config';
import { ImapIntake } from './infra/imap-poller';
import { PrismaInboundRepository } from './infra/inbound.repository';
import { observeMailboxes } from './infra/intake.metrics';
import { MailServerCheckerLive } from './infra/mail-server.checker';
import { PrismaMailboxRepository } from './infra/mailbox.repository';
import { MailboxLeases } from './infra/mailbox-lease';
import { PrismaMailboxOAuthRepository } from './infra/mailbox-oauth.repository';
import { Oauth4WebApiProvider } from './infra/oauth-provider';
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
  { pipeline: MailPipeline; imap: ImapIntake | undefined; oauth: MailboxOAuthUseCases }
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
      compose({ prisma, pool, outbox, logger, shutdown }) {
        const unobserveMailboxes = observeMailboxes(pool);
        shutdown.onShutdown('mailbox metrics', async () => unobserveMailboxes());
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
        const oauthProvider = new Oauth4WebApiProvider({
          microsoft: {
            clientId: config.MAIL_OAUTH_MICROSOFT_CLIENT_ID,
            clientSecret: config.MAIL_OAUTH_MICROSOFT_CLIENT_SECRET,
            tenant: config.MAIL_OAUTH_MICROSOFT_TENANT,
          },
          google: {
            clientId: config.MAIL_OAUTH_GOOGLE_CLIENT_ID,
            clientSecret: config.MAIL_OAUTH_GOOGLE_CLIENT_SECRET,
          },
          allowPrivateNetworks: config.MAIL_OAUTH_ALLOW_PRIVATE_NETWORKS,
          timeoutMs: config.MAIL_OAUTH_HTTP_TIMEOUT_MS,
        });
        shutdown.onShutdown('oauth connections', () => oauthProvider.close());
        const oauthUseCases = new MailboxOAuthUseCases({
          mailboxes,
          oauth: new PrismaMailboxOAuthRepository(prisma, config.MAIL_OAUTH_HTTP_TIMEOUT_MS * 2 + 5000),
          provider: oauthProvider,
          outbox,
          secrets,
          clock,
          logger,
          redirectUri: config.MAIL_OAUTH_REDIRECT_URL,
          flowMs: config.MAIL_OAUTH_FLOW_SECONDS * 1000,
          refreshMarginMs: config.MAIL_OAUTH_REFRESH_MARGIN_SECONDS * 1000,
        });
        const mailboxUseCases = new MailboxUseCases({
          mailboxes,
          tokens: oauthUseCases,
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
            tokens: oauthUseCases,
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
              tokenMarginMs: config.MAIL_OAUTH_REFRESH_MARGIN_SECONDS * 1000,
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
                oauthUseCases,
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
          expose: { pipeline, imap, oauth: oauthUseCases },
        };
      },
    },
    options,
  );
}

// Composition of the mail-ingest service: config → Prisma → bus + outbox relay → pipeline → IMAP intake, retry
// worker → gRPC → health. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { connectBus, OutboxRelay, type Bus } from '@helpdesk/bus';
import { mailV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { startGrpcServer } from '@helpdesk/grpc';
import {
  createLogger,
  createShutdown,
  grpcServerLimits,
  startHealthServer,
  type Logger,
  type Shutdown,
} from '@helpdesk/platform';
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
import { AesGcmSecretBox } from './infra/secret-box';
import { GrpcTicketAdapter } from './infra/ticket-service.adapter';
import { mailHandlers } from './transport/grpc/mail.handlers';

export interface MailIngestServiceOptions {
  logger?: Logger;
  shutdown?: Shutdown;
  /** Replaces the gRPC ticket service adapter (unit-level composition only). */
  tickets?: TicketPort;
}

export interface RunningMailIngestService {
  grpcPort: number;
  healthPort: number;
  logger: Logger;
  prisma: PrismaClient;
  bus: Bus;
  pipeline: MailPipeline;
  imap: ImapIntake | undefined;
  stop(): Promise<void>;
}

export async function buildMailIngestService(
  config: MailIngestConfig,
  options: MailIngestServiceOptions = {},
): Promise<RunningMailIngestService> {
  const logger = options.logger ?? createLogger('mail-ingest', config.LOG_LEVEL);
  const shutdown = options.shutdown ?? createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const prisma = createPrismaClient(PrismaClient, config.DATABASE_URL, {
      max: config.MAIL_CONCURRENCY + 6,
    });
    shutdown.onShutdown('prisma', () => prisma.$disconnect());

    const bus = await connectBus({
      servers: config.NATS_URL,
      prefix: config.BUS_PREFIX,
      name: 'mail-ingest',
      logger,
    });
    shutdown.onShutdown('bus', () => bus.close());
    await bus.ensureStream('mail');

    const relay = new OutboxRelay({
      databaseUrl: config.DATABASE_URL,
      bus,
      logger,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    shutdown.onShutdown('outbox relay', () => relay.stop());
    relay.start();

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
      outbox: relay,
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

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      limits: grpcServerLimits(config),
      services: [
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
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
    shutdown.onShutdown('grpc server', () => grpc.shutdown());

    const health = await startHealthServer({
      port: config.HEALTH_PORT,
      logger,
      checks: {
        db: async () => {
          await prisma.$queryRaw`SELECT 1`;
        },
        nats: () => bus.ping(),
      },
    });
    shutdown.onShutdown('health server', () => health.close());

    logger.info(
      { grpcPort: grpc.port, healthPort: health.port, imap: Boolean(imap) },
      'mail-ingest service started',
    );
    return {
      grpcPort: grpc.port,
      healthPort: health.port,
      logger,
      prisma,
      bus,
      pipeline,
      imap,
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    await shutdown.shutdown('start-up failed');
    throw err;
  }
}

import { telemetry } from './instrumentation';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createLogger, type Logger } from '@helpdesk/platform';
import { runMain } from '@helpdesk/runtime';
import { createAuthenticator } from './app/authenticate';
import { loadGatewayConfig, type GatewayConfig } from './config';
import {
  createAttachmentClient,
  createDirectoryClient,
  createHealthClient,
  createIdentityClient,
  createMailClient,
  createNotificationClient,
  createTemplateClient,
  createSlaClient,
  createTicketClient,
  createTicketSettingsClient,
  createTimekeepingClient,
} from './infra/grpc-clients';
import { createRedis, pingRedis } from './infra/redis';
import { RedisIdempotencyStore } from './infra/redis-idempotency.store';
import { RedisWindowCounter } from './infra/redis-window-counter';
import { createHttpApp } from './transport/http/http-app';

const HEALTH_DEADLINE_MS = 1_500;

export interface Gateway {
  app: Express;
  server: http.Server;
  /** The bound port (useful with PORT=0). */
  port: number;
  close(): Promise<void>;
}

/** Composition root: config → Redis and gRPC clients → Express app → listening HTTP server. */
export async function buildGateway(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.LOG_LEVEL),
): Promise<Gateway> {
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX, logger);
  const identity = createIdentityClient(config.IDENTITY_GRPC_URL, config.GRPC_DEADLINE_MS);
  const tickets = createTicketClient(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
  const directory = createDirectoryClient(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
  const attachments = createAttachmentClient(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
  const templates = createTemplateClient(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
  const ticketSettings = createTicketSettingsClient(config.TICKET_GRPC_URL, config.GRPC_DEADLINE_MS);
  const timekeeping = createTimekeepingClient(config.TIMEKEEPING_GRPC_URL, config.GRPC_DEADLINE_MS);
  const sla = createSlaClient(config.SLA_GRPC_URL, config.GRPC_DEADLINE_MS);
  const identityHealth = createHealthClient(config.IDENTITY_GRPC_URL);
  const ticketHealth = createHealthClient(config.TICKET_GRPC_URL);
  const mail = createMailClient(config.MAIL_GRPC_URL, config.GRPC_DEADLINE_MS);
  const notification = createNotificationClient(config.NOTIFICATION_GRPC_URL, config.GRPC_DEADLINE_MS);

  const app = createHttpApp({
    logger,
    identity,
    tickets,
    directory,
    sla,
    timekeeping,
    mail,
    mailMaxBytes: config.MAIL_MAX_BYTES,
    notification,
    portalBaseUrl: config.PORTAL_BASE_URL,
    magicLinkTtlSeconds: config.PORTAL_MAGIC_LINK_TTL_SECONDS,
    attachments,
    templates,
    ticketSettings,
    authenticator: createAuthenticator({
      jwtSecret: config.HELPDESK_JWT_SECRET,
      identity,
      portalSessionSeconds: config.PORTAL_SESSION_TTL_SECONDS,
    }),
    publicFormPerHour: config.PUBLIC_FORM_RATE_LIMIT_PER_HOUR,
    loginCounter: new RedisWindowCounter(redis),
    loginThrottle: {
      max: config.LOGIN_RATE_LIMIT_MAX,
      ipMax: config.LOGIN_RATE_LIMIT_IP_MAX,
      windowSeconds: config.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
    },
    idempotencyStore: new RedisIdempotencyStore(redis),
    operatorToken: config.HELPDESK_OPERATOR_TOKEN,
    webDir: config.WEB_DIR,
    bodyLimit: config.BODY_LIMIT,
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    admission: {
      maxInFlight: config.ADMISSION_MAX_IN_FLIGHT,
      maxQueued: config.ADMISSION_MAX_QUEUED,
      maxQueueMs: config.ADMISSION_MAX_QUEUE_MS,
    },
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    // Ready when it can authenticate and serve tickets. A peer behind a few routes (sla, timekeeping, mail) being down
    // answers 503 on those routes only: taking the whole API out of rotation for it would be a bigger outage.
    readiness: {
      redis: () => pingRedis(redis),
      identity: () => identityHealth.check(HEALTH_DEADLINE_MS),
      ticket: () => ticketHealth.check(HEALTH_DEADLINE_MS),
    },
  });

  const server = http.createServer(app);
  // Longer than a typical load balancer's idle timeout, so that it closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'gateway listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests got their chance while the listener stopped; drop what is left.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      identity.close();
      tickets.close();
      directory.close();
      attachments.close();
      templates.close();
      ticketSettings.close();
      timekeeping.close();
      identityHealth.close();
      ticketHealth.close();
      sla.close();
      mail.close();
      notification.close();
      await redis.quit().catch(() => redis.disconnect());
    })());

  return { app, server, port, close };
}

if (require.main === module) {
  void runMain(
    'gateway',
    loadGatewayConfig,
    async (config, { logger, shutdown }) => {
      const gateway = await buildGateway(config, logger);
      shutdown.onShutdown('http', () => gateway.close());
    },
    { telemetry },
  );
}

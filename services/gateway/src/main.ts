import { telemetry } from './instrumentation';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createLogger, startHealthServer, type HealthChecks, type Logger } from '@helpdesk/platform';
import { runMain } from '@helpdesk/runtime';
import { metricsHandler } from '@helpdesk/telemetry';
import { createAuthenticator } from './app/authenticate';
import { loadGatewayConfig, type GatewayConfig } from './config';
import {
  createAttachmentClient,
  createAutomationClient,
  createDirectoryClient,
  createHealthClient,
  createIdentityClient,
  createMailClient,
  createNotificationClient,
  createNotificationFeedClient,
  createReportingClient,
  createTemplateClient,
  createSlaClient,
  createTicketClient,
  createTicketSettingsClient,
  createTimekeepingClient,
  createWebhookClient,
} from './infra/grpc-clients';
import { createRedis, pingRedis } from './infra/redis';
import { RedisIdempotencyStore } from './infra/redis-idempotency.store';
import { RedisWindowCounter } from './infra/redis-window-counter';
import { answerClientErrors } from './transport/http/client-error';
import { createHttpApp } from './transport/http/http-app';
import { liveEvents as createLiveEvents } from './transport/http/live-events';
import { startLiveFeed, type LiveFeed } from './infra/live-feed.nats';

const HEALTH_DEADLINE_MS = 1_500;

export interface Gateway {
  app: Express;
  server: http.Server;
  /** The bound port (useful with PORT=0). */
  port: number;
  /** The bound health port: /healthz, /readyz and /metrics. */
  healthPort: number;
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
  const automation = createAutomationClient(config.AUTOMATION_GRPC_URL, config.GRPC_DEADLINE_MS);
  const notificationFeed = createNotificationFeedClient(
    config.NOTIFICATION_GRPC_URL,
    config.GRPC_DEADLINE_MS,
  );

  const authenticator = createAuthenticator({
    jwtSecret: config.HELPDESK_JWT_SECRET,
    identity,
    portalSessionSeconds: config.PORTAL_SESSION_TTL_SECONDS,
  });
  const liveEvents = createLiveEvents({
    feed: () => feed,
    authenticator,
    directory,
    logger,
    options: {
      heartbeatMs: config.SSE_HEARTBEAT_MS,
      replayWindowMs: config.SSE_REPLAY_WINDOW_MS,
      maxClients: config.SSE_MAX_CLIENTS,
      maxBufferBytes: config.SSE_CLIENT_MAX_BUFFER_BYTES,
      maxPendingEvents: config.SSE_REPLAY_MAX_PENDING,
    },
  });
  const feed: LiveFeed = startLiveFeed({
    natsUrl: config.NATS_URL,
    busPrefix: config.BUS_PREFIX,
    logger,
    onEvent: (event) => liveEvents.publish(event),
  });
  const webhooks = createWebhookClient(config.NOTIFICATION_GRPC_URL, config.GRPC_DEADLINE_MS);
  const reporting = createReportingClient(config.REPORTING_GRPC_URL, config.GRPC_DEADLINE_MS);

  // Ready when it can authenticate and serve tickets. A peer behind a few routes (sla, timekeeping, mail) being down
  // answers 503 on those routes only: taking the whole API out of rotation for it would be a bigger outage.
  const readiness: HealthChecks = {
    redis: () => pingRedis(redis),
    identity: () => identityHealth.check(HEALTH_DEADLINE_MS),
    ticket: () => ticketHealth.check(HEALTH_DEADLINE_MS),
  };
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
    automation,
    notificationFeed,
    webhooks,
    reporting,
    portalBaseUrl: config.PORTAL_BASE_URL,
    magicLinkTtlSeconds: config.PORTAL_MAGIC_LINK_TTL_SECONDS,
    attachments,
    templates,
    ticketSettings,
    authenticator,
    liveEvents,
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
    readiness,
  });

  const server = http.createServer(app);
  // what Node's parser refuses (headers too large, a malformed request) answers in the error shape as well
  answerClientErrors(server);
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
  const health = await startHealthServer({
    port: config.HEALTH_PORT,
    host: config.HOST,
    logger,
    checks: readiness,
    metrics: metricsHandler(),
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // the open streams end first (their clients reconnect elsewhere), or the server would wait for them
      liveEvents.close();
      await health.close();
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
      automation.close();
      notificationFeed.close();
      await feed.close();
      webhooks.close();
      reporting.close();
      await redis.quit().catch(() => redis.disconnect());
    })());

  return { app, server, port, healthPort: health.port, close };
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

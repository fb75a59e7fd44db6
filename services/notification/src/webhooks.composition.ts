// Webhooks inside the notification service: one consumer per stream of subscribable events (writing deliveries in
// the inbox transaction), the delivery worker, and the WebhookService gRPC API. notification-service.ts adds these
// beside the mail parts.
import { startRounds } from '@helpdesk/runtime';
import { randomUUID } from 'node:crypto';
import { startConsumer, type Bus, type RunningConsumer, IN_TRANSACTION_BATCH } from '@helpdesk/bus';
import { webhookV1 } from '@helpdesk/contracts';
import type { GrpcServiceRegistration } from '@helpdesk/grpc';
import type { Logger, Shutdown } from '@helpdesk/platform';
import { AesGcmSecretBox, type LookupFunction } from '@helpdesk/security';
import type { Pool } from 'pg';
import { DeliverWebhooksUseCase } from './app/deliver-webhooks.use-case';
import type { Clock } from './app/ports';
import { RecordWebhookEventUseCase } from './app/record-webhook-event.use-case';
import type { EndpointDisabledHook } from './app/webhook.ports';
import { WebhooksUseCases } from './app/webhooks.use-cases';
import type { NotificationConfig } from './config';
import { WEBHOOK_EVENT_DOMAINS } from './domain/webhook';
import { GuardedWebhookSender, SsrfUrlGuard } from './infra/webhook-http';
import { PgDeliveryQueue, PgWebhookRepository } from './infra/webhook-store.pg';
import { observeWebhookDeliveries } from './infra/webhook.metrics';
import { webhookHandlers } from './transport/grpc/webhook.handlers';
import { webhookEventsHandler } from './transport/nats/webhook-events.consumer';

/**
 * The streams whose events webhooks deliver, written out for the manifest check (services/notification/service.ts
 * consumes them); the start-up refuses a list that differs from the deliverable events' domains.
 */
export const WEBHOOK_STREAMS = [
  { domain: 'identity' },
  { domain: 'ticket' },
  { domain: 'mail' },
  { domain: 'sla' },
  { domain: 'time' },
  // the rules' runs (`automation.rule_fired`, `automation.run_completed`); notify_requested is not delivered
  { domain: 'automation' },
] as const;

/** What tests may put in place of the real parts. */
export interface WebhookOptions {
  clock?: Clock;
  /** In [0, 1): the retry jitter. */
  random?: () => number;
  /** Name resolution of the SSRF guard (save time and every connection). */
  resolve?: LookupFunction;
  /** false: no worker loop; rounds run only through `deliverWebhooksNow` (tests with a test clock). */
  worker?: boolean;
  disabled?: EndpointDisabledHook;
}

export interface WebhookParts {
  consumers: RunningConsumer[];
  grpc: GrpcServiceRegistration;
  /** Runs one delivery round now (tests). */
  deliverWebhooksNow(): Promise<number>;
  /** Wakes the worker (after a commit that wrote deliveries). */
  wake(): void;
}

export function composeWebhooks(
  ctx: {
    config: NotificationConfig;
    pool: Pool;
    bus: Bus;
    logger: Logger;
    shutdown: Pick<Shutdown, 'onShutdown'>;
    /** The in-app notifications' hook (notifications.compose.ts). */
    endpointDisabled: EndpointDisabledHook;
  },
  options: WebhookOptions = {},
): WebhookParts {
  const { config, pool, bus, logger, shutdown } = ctx;
  const unobserveDeliveries = observeWebhookDeliveries(pool);
  shutdown.onShutdown('webhook metrics', async () => unobserveDeliveries());
  const streams = WEBHOOK_STREAMS.map((s) => s.domain as string).sort();
  if (streams.join() !== [...WEBHOOK_EVENT_DOMAINS].sort().join())
    throw new Error(`WEBHOOK_STREAMS (${streams.join()}) differ from the deliverable events' domains`);
  const clock = options.clock ?? { now: () => new Date() };
  const ids = { newId: () => randomUUID() };
  const secrets = new AesGcmSecretBox(config.WEBHOOK_SECRET_KEY);
  const policy = { allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS };
  const sender = new GuardedWebhookSender({
    policy,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
    resolve: options.resolve,
  });
  // the tenant's admins are notified in the transaction that disables the endpoint (ADR 42)
  const disabled: EndpointDisabledHook = options.disabled ?? ctx.endpointDisabled;
  const webhooks = new WebhooksUseCases({
    repo: new PgWebhookRepository(pool),
    secrets,
    guard: new SsrfUrlGuard(policy, options.resolve),
    clock,
    ids,
  });
  const deliver = new DeliverWebhooksUseCase({
    queue: new PgDeliveryQueue(pool),
    sender,
    secrets,
    clock,
    ids,
    random: options.random ?? Math.random,
    disabled,
    logger,
    options: {
      endpointsPerRound: config.WEBHOOK_CONCURRENCY,
      deliveriesPerEndpoint: 50,
      leaseMs: config.WEBHOOK_TIMEOUT_MS + 30_000,
      attemptMs: config.WEBHOOK_TIMEOUT_MS,
    },
  });

  // the worker: a round whenever deliveries were written, else every WEBHOOK_POLL_INTERVAL_MS (other replicas'
  // writes and due retries are found by polling)
  const worker = startRounds({
    name: 'webhook',
    round: () => deliver.round(),
    idleMs: config.WEBHOOK_POLL_INTERVAL_MS,
    autostart: options.worker !== false,
    logger,
  });
  const wake = () => worker.wake();
  shutdown.onShutdown('webhook worker', async () => {
    await worker.stop();
    sender.close();
  });

  const record = new RecordWebhookEventUseCase({ clock, ids });
  const handler = webhookEventsHandler(record, () => wake());
  const consumers = streams.map((domain) =>
    startConsumer({
      bus,
      pool,
      domain,
      consumer: 'notification',
      purpose: `webhooks-${domain}`,
      subjects: [`helpdesk.${domain}.>`],
      batchSize: IN_TRANSACTION_BATCH,
      handler,
      logger,
    }),
  );

  return {
    consumers,
    grpc: {
      definition: webhookV1.WebhookServiceService,
      implementation: webhookHandlers({ webhooks, logger, wake }),
    },
    deliverWebhooksNow: () => worker.now(),
    wake,
  };
}

// The in-app notifications half of the notification service (docs/product/notifications.md, ADR 31): its
// consumers, the feed's gRPC service and the agent mail batcher, composed beside the customer mail.
import { randomUUID } from 'node:crypto';
import { startConsumer, type Bus, type RunningConsumer, IN_TRANSACTION_BATCH } from '@helpdesk/bus';
import { notificationFeedV1 } from '@helpdesk/contracts';
import type { GrpcServiceRegistration } from '@helpdesk/grpc';
import type { Logger, Shutdown } from '@helpdesk/platform';
import { startRounds, type OutboxNotifier } from '@helpdesk/runtime';
import type { Pool } from 'pg';
import { AdminNoticesUseCase } from './app/notifications/admin-notices.use-case';
import { AgentMailUseCase } from './app/notifications/agent-mail.use-case';
import { FeedUseCase } from './app/notifications/feed.use-case';
import { NotifyUseCase } from './app/notifications/notify.use-case';
import type { NotifyDirectory } from './app/notifications/ports';
import type { EndpointDisabledHook } from './app/webhook.ports';
import type { NotificationConfig } from './config';
import { PgAgentMailQueue, PgFeedStore } from './infra/notifications.pg';
import { GrpcNotifyDirectory } from './infra/notify-directory.grpc';
import { feedHandlers } from './transport/grpc/feed.handlers';
import {
  automationNotificationsHandler,
  mailboxNotificationsHandler,
  slaNotificationsHandler,
  ticketNotificationsHandler,
  userEventsHandler,
} from './transport/nats/notification-events.consumer';

export interface NotificationsComposition {
  consumers: RunningConsumer[];
  grpc: GrpcServiceRegistration;
  /** Notifies the tenant's admins of an endpoint the webhook worker disabled, in the disabling transaction. */
  endpointDisabled: EndpointDisabledHook;
  /** Runs one agent-mail round now (tests). */
  mailRoundNow(): Promise<number>;
}

export function composeNotifications(ctx: {
  config: NotificationConfig;
  pool: Pool;
  bus: Bus;
  logger: Logger;
  shutdown: Pick<Shutdown, 'onShutdown'>;
  outbox: OutboxNotifier;
  /** Wakes the mail dispatcher once agent mail is queued. */
  wakeDispatcher(): void;
  /** Replaces the gRPC lookups (tests). */
  directory?: NotifyDirectory;
}): NotificationsComposition {
  const { config, pool, bus, logger, shutdown } = ctx;
  let directory = ctx.directory;
  if (!directory) {
    const grpc = new GrpcNotifyDirectory(
      config.IDENTITY_GRPC_URL,
      config.TICKET_GRPC_URL,
      config.GRPC_DEADLINE_MS,
    );
    shutdown.onShutdown('notification lookups', () => grpc.close());
    directory = grpc;
  }
  const clock = { now: () => new Date() };
  const notify = new NotifyUseCase({ clock, ids: { newId: () => randomUUID() }, directory });
  const feed = new FeedUseCase({ store: new PgFeedStore(pool), clock });
  const mail = new AgentMailUseCase({
    queue: new PgAgentMailQueue(pool, ctx.wakeDispatcher),
    clock,
    options: {
      batchWindowMs: config.NOTIFY_EMAIL_BATCH_MS,
      batchLimit: 50,
      appBaseUrl: config.APP_BASE_URL,
    },
  });

  // the inbox transaction commits after the handler returns: the relay then finds the notify.created events
  const onNotified = (outcome: { notified: unknown[]; mailed: number }) => {
    if (outcome.notified.length > 0) setTimeout(() => ctx.outbox.nudge(), 10);
  };
  const admin = new AdminNoticesUseCase({ notify, onNotified });
  const common = { bus, pool, consumer: 'notification', logger } as const;
  // identity, team or ticket lookups may be down for a while: retry longer than the default before the DLQ
  const patient = { maxDeliver: 12, backoffMs: 1_000 } as const;
  const consumers = [
    startConsumer({
      ...common,
      domain: 'identity',
      purpose: 'users',
      subjects: ['helpdesk.identity.user_created', 'helpdesk.identity.user_updated'],
      handler: userEventsHandler(),
    }),
    startConsumer({
      ...common,
      ...patient,
      domain: 'ticket',
      purpose: 'feed-tickets',
      subjects: ['helpdesk.ticket.>'],
      batchSize: IN_TRANSACTION_BATCH,
      handler: ticketNotificationsHandler(notify, onNotified),
    }),
    startConsumer({
      ...common,
      ...patient,
      domain: 'sla',
      purpose: 'feed-sla',
      subjects: ['helpdesk.sla.warning', 'helpdesk.sla.breached'],
      handler: slaNotificationsHandler(notify, onNotified, logger),
    }),
    startConsumer({
      ...common,
      ...patient,
      domain: 'automation',
      purpose: 'feed-automation',
      subjects: ['helpdesk.automation.notify_requested'],
      handler: automationNotificationsHandler(notify, onNotified),
    }),
    startConsumer({
      ...common,
      domain: 'mail',
      purpose: 'feed-mailboxes',
      subjects: ['helpdesk.mail.mailbox_needs_reauthorization'],
      handler: mailboxNotificationsHandler(admin, logger),
    }),
  ];

  // the agent mail batcher: a round every NOTIFY_EMAIL_INTERVAL_MS; SKIP LOCKED shares the batches among replicas
  const batcher = startRounds({
    name: 'agent mail',
    round: () => mail.round(),
    idleMs: config.NOTIFY_EMAIL_INTERVAL_MS,
    againWhenBusy: false,
    logger,
  });
  shutdown.onShutdown('agent mail batcher', () => batcher.stop());

  return {
    consumers,
    grpc: {
      definition: notificationFeedV1.NotificationFeedServiceService,
      implementation: feedHandlers({ feed, logger }),
    },
    endpointDisabled: admin,
    mailRoundNow: () => batcher.now(),
  };
}

// Composition of the notification service on the shared runtime: bus consumers (plan mail) → dispatcher (send,
// record) → gRPC; the in-app notifications (notifications.compose.ts) beside them.
import { randomUUID } from 'node:crypto';
import { startConsumer, IN_TRANSACTION_BATCH } from '@helpdesk/bus';
import { notificationV1 } from '@helpdesk/contracts';
import { runService, startRounds, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { DispatchUseCase } from './app/dispatch.use-case';
import { PlanMailUseCase } from './app/plan-mail.use-case';
import type { MailSender, MailboxSettingsPort, ThreadRecorder } from './app/ports';
import type { NotificationConfig } from './config';
import { GrpcMailboxSettings } from './infra/mailbox-settings.client';
import { PgOutboundQueue } from './infra/outbound-queue.pg';
import { NodemailerSender } from './infra/smtp-sender';
import { GrpcAttachmentSource } from './infra/attachment-source.grpc';
import { GrpcThreadRecorder } from './infra/thread-recorder.grpc';
import { notificationHandlers } from './transport/grpc/notification.handlers';
import { mailEventsHandler } from './transport/nats/mail-events.consumer';
import { ticketEventsHandler } from './transport/nats/ticket-events.consumer';
import { composeNotifications } from './notifications.compose';
import { composeWebhooks, type WebhookOptions } from './webhooks.composition';

export type NotificationServiceOptions = RuntimeOptions & { webhooks?: WebhookOptions };

export type RunningNotificationService = RunningService<
  undefined,
  {
    /** Runs one dispatch round now (tests). */
    dispatchNow(): Promise<number>;
    /** Runs one agent-mail batching round now (tests). */
    notificationMailNow(): Promise<number>;
    /** Runs one webhook delivery round now (tests). */
    deliverWebhooksNow(): Promise<number>;
  }
>;

export function buildNotificationService(
  config: NotificationConfig,
  options: NotificationServiceOptions = {},
): Promise<RunningNotificationService> {
  return runService(
    {
      name: 'notification',
      config,
      // notify: the notifications' events (helpdesk.notify.created), through the outbox
      streams: ['notify'],
      compose({ pool, bus, logger, shutdown, outbox }) {
        const settings: MailboxSettingsPort & { close(): void } = new GrpcMailboxSettings(
          config.MAIL_GRPC_URL,
          config.GRPC_DEADLINE_MS,
        );
        const sender: MailSender & { close(): void } = new NodemailerSender();
        const recorder: ThreadRecorder & { close(): void } = new GrpcThreadRecorder(
          config.TICKET_GRPC_URL,
          config.GRPC_DEADLINE_MS,
        );
        // a reply's files: the deadline covers the whole download of a file of up to the tenant's limit
        const attachments = new GrpcAttachmentSource(
          config.TICKET_GRPC_URL,
          Math.max(config.GRPC_DEADLINE_MS, 120_000),
        );
        shutdown.onShutdown('clients', () => {
          settings.close();
          sender.close();
          recorder.close();
          attachments.close();
        });

        const queue = new PgOutboundQueue(pool);
        const clock = { now: () => new Date() };
        const plan = new PlanMailUseCase({
          clock,
          ids: { newId: () => randomUUID() },
          maxAutoRepliesPerHour: config.AUTO_REPLY_MAX_PER_HOUR,
        });
        const dispatch = new DispatchUseCase({
          queue,
          settings,
          sender,
          recorder,
          attachments,
          clock,
          logger,
          options: {
            messageIdSecret: config.MAIL_MESSAGE_ID_SECRET,
            maxAttempts: config.SMTP_MAX_ATTEMPTS,
            retryBaseMs: config.SMTP_RETRY_BASE_MS,
            batchSize: 20,
            leaseMs: 120_000,
          },
        });

        // the dispatcher: a round whenever planning queued mail, else every DISPATCH_INTERVAL_MS
        const dispatcher = startRounds({
          name: 'mail dispatch',
          round: () => dispatch.round(),
          idleMs: config.DISPATCH_INTERVAL_MS,
          logger,
        });
        const wake = () => dispatcher.wake();
        shutdown.onShutdown('dispatcher', () => dispatcher.stop());

        const planned = <T extends (...args: never[]) => Promise<void>>(handler: T) =>
          (async (...args: Parameters<T>) => {
            await handler(...args);
            // the inbox transaction commits after the handler returns; the next round finds the mail
            setTimeout(wake, 20);
          }) as unknown as T;

        const consumers = [
          startConsumer({
            bus,
            pool,
            domain: 'mail',
            consumer: 'notification',
            purpose: 'mail-replies',
            subjects: ['helpdesk.mail.received'],
            batchSize: IN_TRANSACTION_BATCH,
            handler: planned(mailEventsHandler(plan)),
            logger,
          }),
          startConsumer({
            bus,
            pool,
            domain: 'ticket',
            consumer: 'notification',
            purpose: 'ticket-mail',
            subjects: ['helpdesk.ticket.created', 'helpdesk.ticket.message_added'],
            batchSize: IN_TRANSACTION_BATCH,
            handler: planned(ticketEventsHandler(plan)),
            logger,
          }),
        ];

        const notifications = composeNotifications({
          config,
          pool,
          bus,
          logger,
          shutdown,
          outbox,
          wakeDispatcher: wake,
        });
        consumers.push(...notifications.consumers);
        const webhooks = composeWebhooks(
          { config, pool, bus, logger, shutdown, endpointDisabled: notifications.endpointDisabled },
          options.webhooks,
        );

        return {
          consumers: [...consumers, ...webhooks.consumers],
          grpc: [
            {
              definition: notificationV1.NotificationServiceService,
              implementation: notificationHandlers({ queue, wake, logger }),
            },
            notifications.grpc,
            webhooks.grpc,
          ],
          expose: {
            dispatchNow: () => dispatcher.now(),
            notificationMailNow: () => notifications.mailRoundNow(),
            deliverWebhooksNow: webhooks.deliverWebhooksNow,
          },
        };
      },
    },
    options,
  );
}

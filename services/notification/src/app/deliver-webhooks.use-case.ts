// The delivery worker: claims endpoints with due deliveries (one worker per endpoint at a time, across replicas),
// POSTs their deliveries in order with the Standard Webhooks headers, and records each attempt with the retry
// schedule; a 410 disables the endpoint at once, five days of failures too.
import type { Logger } from '@helpdesk/platform';
import { attemptOutcome, failingTooLong, nextAttemptAt, webhookHeaders } from '../domain/webhook';
import type { Clock, IdGenerator } from './ports';
import type {
  ClaimedEndpoint,
  DeliveryQueue,
  DueDelivery,
  EndpointDisabledHook,
  SecretSealer,
  WebhookSender,
} from './webhook.ports';

export interface DeliverWebhooksOptions {
  /** Endpoints claimed per round (delivered side by side). */
  endpointsPerRound: number;
  /** Deliveries of one endpoint per claim. */
  deliveriesPerEndpoint: number;
  /** How long a claim lasts; renewed before an attempt that could outlast it. Longer than `attemptMs`. */
  leaseMs: number;
  /** The longest one attempt takes (its timeout). */
  attemptMs: number;
}

export interface DeliverWebhooksDeps {
  queue: DeliveryQueue;
  sender: WebhookSender;
  secrets: SecretSealer;
  clock: Clock;
  ids: IdGenerator;
  random: () => number;
  disabled: EndpointDisabledHook;
  logger: Logger;
  options: DeliverWebhooksOptions;
}

const errorText = (text: string) => text.replace(/[\r\n\t]+/g, ' ').slice(0, 500);

export class DeliverWebhooksUseCase {
  /** This worker's id in the endpoints' leases. */
  readonly owner: string;

  constructor(private readonly deps: DeliverWebhooksDeps) {
    this.owner = deps.ids.newId();
  }

  /** One round: claims what is due and delivers it. Answers the number of attempts made. */
  async round(): Promise<number> {
    const { queue, clock, options } = this.deps;
    const claimed = await queue.claimEndpoints(
      clock.now(),
      options.endpointsPerRound,
      options.leaseMs,
      this.owner,
    );
    const counts = await Promise.all(claimed.map((endpoint) => this.deliverTo(endpoint)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async deliverTo(endpoint: ClaimedEndpoint): Promise<number> {
    const { queue, clock, options, logger } = this.deps;
    let attempts = 0;
    try {
      const due = await queue.due(endpoint.id, clock.now(), options.deliveriesPerEndpoint);
      let failingSince = endpoint.failingSince;
      let leaseUntil = clock.now().getTime() + options.leaseMs;
      for (const delivery of due) {
        const now = clock.now().getTime();
        // renewed only when the next attempt could outlast the claim (one UPDATE per lease, not per delivery)
        if (now + options.attemptMs + 5_000 > leaseUntil) {
          leaseUntil = now + options.leaseMs;
          if (!(await queue.renew(endpoint.id, this.owner, new Date(leaseUntil)))) break;
        }
        attempts++;
        const result = await this.attempt(endpoint, delivery, failingSince);
        if (result.stop) break;
        failingSince = result.failingSince;
      }
    } catch (err) {
      logger.warn({ err, endpointId: endpoint.id, tenantId: endpoint.tenantId }, 'webhook delivery failed');
    } finally {
      await queue.release(endpoint.id, this.owner).catch(() => undefined);
    }
    return attempts;
  }

  private secretsOf(endpoint: ClaimedEndpoint, now: Date): string[] {
    const { secrets } = this.deps;
    const list = [secrets.open(endpoint.sealedSecret)];
    if (endpoint.sealedPrevious && endpoint.previousExpiresAt && endpoint.previousExpiresAt > now)
      list.push(secrets.open(endpoint.sealedPrevious));
    return list;
  }

  private async attempt(
    endpoint: ClaimedEndpoint,
    delivery: DueDelivery,
    failingSince: Date | null,
  ): Promise<{ stop: boolean; failingSince: Date | null }> {
    const { queue, sender, clock, random, logger } = this.deps;
    const at = clock.now();
    const headers = webhookHeaders(this.secretsOf(endpoint, at), delivery.eventId, at, delivery.body);
    const answer = await sender.post(endpoint.url, headers, delivery.body, {
      traceparent: delivery.traceparent,
      tenantId: endpoint.tenantId,
    });
    const outcome = attemptOutcome(answer.statusCode, answer.inTime);
    const attempt = {
      at,
      statusCode: answer.statusCode,
      durationMs: answer.durationMs,
      error:
        outcome === 'delivered'
          ? null
          : errorText(answer.error ?? (answer.statusCode ? `HTTP ${answer.statusCode}` : 'no answer')),
    };
    const log = {
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      statusCode: answer.statusCode,
      durationMs: answer.durationMs,
    };
    const automatic = delivery.manualRetry ? delivery.attemptCount : delivery.attemptCount + 1;
    if (outcome === 'delivered') {
      await queue.recordAttempt(delivery.id, attempt, {
        status: 'delivered',
        nextAttemptAt: null,
        attemptCount: automatic,
      });
      if (failingSince) await queue.markHealthy(endpoint.id);
      logger.info(log, 'webhook delivered');
      return { stop: false, failingSince: null };
    }
    const failedAt = clock.now();
    if (outcome === 'gone') {
      await queue.recordAttempt(delivery.id, attempt, {
        status: 'failed',
        nextAttemptAt: null,
        attemptCount: automatic,
      });
      await this.disable(endpoint, 'gone', failedAt, failingSince);
      return { stop: true, failingSince };
    }
    const next = delivery.manualRetry ? null : nextAttemptAt(automatic, failedAt, random);
    await queue.recordAttempt(delivery.id, attempt, {
      status: next ? 'pending' : 'failed',
      nextAttemptAt: next,
      attemptCount: automatic,
    });
    logger.info({ ...log, error: attempt.error, nextAttemptAt: next }, 'webhook attempt failed');
    const since = await queue.markFailing(endpoint.id, failedAt);
    if (failingTooLong(since, failedAt)) {
      await this.disable(endpoint, 'failing', failedAt, since);
      return { stop: true, failingSince: since };
    }
    return { stop: false, failingSince: since };
  }

  private async disable(
    endpoint: ClaimedEndpoint,
    reason: 'gone' | 'failing',
    at: Date,
    failingSince: Date | null,
  ): Promise<void> {
    const event = {
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      url: endpoint.url,
      reason,
      failingSince,
      at,
    };
    // the admins' notifications commit with the disable, or neither does
    const disabled = await this.deps.queue.disable(endpoint.id, reason, at, (store) =>
      this.deps.disabled.endpointDisabled(store, event),
    );
    if (!disabled) return;
    this.deps.logger.warn(
      { tenantId: endpoint.tenantId, endpointId: endpoint.id, reason },
      'webhook endpoint disabled',
    );
  }
}

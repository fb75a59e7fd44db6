// Webhook delivery metrics: attempts by outcome (never the endpoint's URL or host), and deliveries still pending.
import type { ObservableCallback } from '@opentelemetry/api';
import { lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';

/** What an attempt came to: delivered, to be retried, or failed for good. */
export type WebhookOutcome = 'delivered' | 'retrying' | 'failed';

const instruments = lazyInstruments('notification', (meter) => ({
  meter,
  attempts: meter.createCounter('helpdesk.webhook.deliveries', {
    description: 'Webhook delivery attempts, by outcome',
    unit: '{attempt}',
  }),
  pending: meter.createObservableGauge('helpdesk.webhook.deliveries.pending', {
    description: 'Webhook deliveries waiting for their next attempt',
    unit: '{delivery}',
  }),
}));

export function recordWebhookAttempt(outcome: WebhookOutcome): void {
  instruments().attempts.add(1, { outcome });
}

/** Observes the pending deliveries: one query on the (status, next_attempt_at) index per scrape. */
export function observeWebhookDeliveries(pool: Pool): () => void {
  const { pending } = instruments();
  const callback: ObservableCallback = async (result) => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`,
    );
    result.observe(rows[0]?.n ?? 0);
  };
  pending.addCallback(callback);
  return () => pending.removeCallback(callback);
}

import type { webhookV1 } from '@helpdesk/contracts';
import type { z } from 'zod';
import { emptyToNull, isoOrNull } from '../../../app/rest-values';
import type { webhookDeliverySchema, webhookSchema } from '../schemas/webhook.schema';

export type WebhookDto = z.input<typeof webhookSchema>;
export type WebhookDeliveryDto = z.input<typeof webhookDeliverySchema>;

const REASONS = ['gone', 'failing', 'admin'] as const;
const STATUSES = ['pending', 'delivered', 'failed'] as const;

export function toWebhookDto(w: webhookV1.Webhook): WebhookDto {
  const reason = REASONS.find((r) => r === w.disabledReason) ?? null;
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    active: w.active,
    disabledReason: w.active ? null : reason,
    disabledAt: isoOrNull(w.disabledAt),
    previousSecretExpiresAt: isoOrNull(w.previousSecretExpiresAt),
    createdAt: isoOrNull(w.createdAt),
    updatedAt: isoOrNull(w.updatedAt),
    version: w.version,
  };
}

export function toWebhookDeliveryDto(d: webhookV1.WebhookDelivery): WebhookDeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: STATUSES.find((s) => s === d.status) ?? 'pending',
    attempts: d.attempts.map((a) => ({
      at: (a.at ?? new Date(0)).toISOString(),
      statusCode: a.statusCode === 0 ? null : a.statusCode,
      durationMs: a.durationMs,
      error: emptyToNull(a.error),
    })),
    nextAttemptAt: isoOrNull(d.nextAttemptAt),
    createdAt: isoOrNull(d.createdAt),
  };
}

// The consumer's half of webhooks: an event becomes one pending delivery per active endpoint subscribed to it,
// written in the inbox transaction (a redelivered event writes none twice).
import { deliveryBody, webhookEventName } from '../domain/webhook';
import type { Clock, IdGenerator } from './ports';
import type { WebhookEventStore } from './webhook.ports';

export interface BusEvent {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  traceparent?: string;
  data: unknown;
}

export class RecordWebhookEventUseCase {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator }) {}

  /**
   * Answers how many deliveries were written. `traceparent`: the span the deliveries' POSTs hang under (the
   * consumer's), by default the one the event carried.
   */
  async record(
    store: WebhookEventStore,
    event: BusEvent,
    traceparent: string | null = event.traceparent ?? null,
  ): Promise<number> {
    const name = webhookEventName(event.type);
    if (!name) return 0;
    const endpoints = await store.subscribers(event.tenantId, name);
    if (endpoints.length === 0) return 0;
    const body = deliveryBody(event);
    return store.insertDeliveries(
      endpoints.map((endpointId) => ({
        id: this.deps.ids.newId(),
        tenantId: event.tenantId,
        endpointId,
        eventId: event.id,
        eventType: name,
        body,
        traceparent,
      })),
      this.deps.clock.now(),
    );
  }
}

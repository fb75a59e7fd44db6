// The webhook API's use cases (admins, through the gateway): endpoints, secrets and rotation, the delivery log and
// manual retry. Every call is scoped by tenant; another tenant's record is NOT_FOUND.
import { conflict, failedPrecondition, invalidArgument, notFound } from '@helpdesk/platform';
import {
  deliveryBody,
  newWebhookSecret,
  normalizeEvents,
  PREVIOUS_SECRET_MS,
  webhookEventName,
} from '../domain/webhook';
import type { Clock, IdGenerator } from './ports';
import type {
  EndpointChanges,
  SecretSealer,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookRepository,
  WebhookUrlGuard,
} from './webhook.ports';

export interface WebhooksDeps {
  repo: WebhookRepository;
  secrets: SecretSealer;
  guard: WebhookUrlGuard;
  clock: Clock;
  ids: IdGenerator;
  newSecret?: () => string;
}

const field = (path: string, message: string) => ({ fields: [{ path: [path], message }] });

export class WebhooksUseCases {
  private readonly newSecret: () => string;

  constructor(private readonly deps: WebhooksDeps) {
    this.newSecret = deps.newSecret ?? (() => newWebhookSecret());
  }

  private async checkUrl(url: string): Promise<void> {
    const refusal = await this.deps.guard.refusal(url);
    if (refusal) throw invalidArgument(`url refused: ${refusal}`, field('url', refusal));
  }

  private events(events: readonly string[]): string[] {
    const checked = normalizeEvents(events);
    if ('error' in checked) throw invalidArgument(checked.error, field('events', checked.error));
    return checked.events;
  }

  async create(input: {
    tenantId: string;
    url: string;
    events: string[];
    description: string;
  }): Promise<{ webhook: WebhookEndpoint; secret: string }> {
    const events = this.events(input.events);
    await this.checkUrl(input.url);
    const now = this.deps.clock.now();
    const secret = this.newSecret();
    const webhook: WebhookEndpoint = {
      id: this.deps.ids.newId(),
      tenantId: input.tenantId,
      url: input.url,
      events,
      description: input.description,
      active: true,
      disabledReason: null,
      disabledAt: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.repo.create(webhook, this.deps.secrets.seal(secret));
    return { webhook, secret };
  }

  list(tenantId: string, limit: number, after?: { at: Date; id: string }): Promise<WebhookEndpoint[]> {
    return this.deps.repo.list(tenantId, limit, after);
  }

  async update(input: {
    tenantId: string;
    id: string;
    expectedVersion?: number;
    url?: string;
    events?: string[];
    description?: string;
    active?: boolean;
    rotateSecret: boolean;
  }): Promise<{ webhook: WebhookEndpoint; secret: string | null }> {
    const changes: EndpointChanges = {};
    if (input.events !== undefined) changes.events = this.events(input.events);
    if (input.url !== undefined) {
      await this.checkUrl(input.url);
      changes.url = input.url;
    }
    if (input.description !== undefined) changes.description = input.description;
    if (input.active !== undefined) changes.active = input.active;
    const now = this.deps.clock.now();
    let secret: string | null = null;
    if (input.rotateSecret) {
      const current = await this.deps.repo.sealedSecret(input.tenantId, input.id);
      if (!current) throw notFound('webhook');
      secret = this.newSecret();
      changes.rotation = {
        secret: this.deps.secrets.seal(secret),
        previous: current,
        previousExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_MS),
      };
    }
    const updated = await this.deps.repo.update(
      input.tenantId,
      input.id,
      changes,
      now,
      input.expectedVersion,
    );
    if (updated === null) throw notFound('webhook');
    if (updated === 'stale') throw conflict('the webhook was changed meanwhile (stale If-Match version)');
    return { webhook: updated, secret };
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.repo.delete(tenantId, id))) throw notFound('webhook');
  }

  async deliveries(
    tenantId: string,
    endpointId: string,
    limit: number,
    before?: bigint,
  ): Promise<Array<WebhookDelivery & { seq: bigint }>> {
    if (!(await this.deps.repo.get(tenantId, endpointId))) throw notFound('webhook');
    return this.deps.repo.listDeliveries(tenantId, endpointId, limit, before);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.repo.get(tenantId, id);
    if (!endpoint) throw notFound('webhook');
    return endpoint;
  }

  /**
   * One event to one endpoint of the tenant, whatever it subscribes to (an automation rule's `webhook` action):
   * a delivery row like the consumer's, so it is signed, retried and listed like every other one. An endpoint
   * that already has this event (it subscribes to it, or the action ran before) keeps its one delivery.
   */
  async enqueue(
    tenantId: string,
    endpointId: string,
    event: {
      id: string;
      type: string;
      version: number;
      tenantId: string;
      occurredAt: string;
      data: unknown;
    },
  ): Promise<{ id: string; duplicate: boolean }> {
    const endpoint = await this.deps.repo.get(tenantId, endpointId);
    if (!endpoint) throw notFound('webhook');
    if (event.tenantId.toLowerCase() !== tenantId.toLowerCase())
      throw invalidArgument('the event belongs to another tenant', field('eventJson', 'another tenant'));
    const name = webhookEventName(event.type);
    if (!name)
      throw invalidArgument(
        `${event.type} is not an event webhooks deliver`,
        field('eventJson', 'not deliverable'),
      );
    if (!endpoint.active)
      throw failedPrecondition(`the webhook is disabled (${endpoint.disabledReason ?? 'admin'})`);
    return this.deps.repo.enqueueDelivery(
      {
        id: this.deps.ids.newId(),
        tenantId,
        endpointId,
        eventId: event.id,
        eventType: name,
        body: deliveryBody(event),
        traceparent: null,
      },
      this.deps.clock.now(),
    );
  }

  async retry(tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.deps.repo.get(tenantId, endpointId);
    if (!endpoint) throw notFound('webhook');
    if (!endpoint.active)
      throw failedPrecondition('the webhook is disabled: enable it (PATCH active: true) to send again');
    const delivery = await this.deps.repo.retryDelivery(
      tenantId,
      endpointId,
      deliveryId,
      this.deps.clock.now(),
    );
    if (!delivery) throw notFound('delivery');
    return delivery;
  }
}

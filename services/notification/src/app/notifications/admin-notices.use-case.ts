// What the tenant's admins must act on (ADR 42): a webhook endpoint the platform disabled, and a mailbox whose
// OAuth2 grant was refused. Both go through the notification rules, preferences and feed like any other type.
import { createHash } from 'node:crypto';
import type { EndpointDisabled, EndpointDisabledHook } from '../webhook.ports';
import type { NotifyOutcome, NotifyUseCase, TriggerSource } from './notify.use-case';
import type { NotifyStore } from './ports';

/** A mailbox that needs a new sign-in, as mail-ingest's `helpdesk.mail.mailbox_needs_reauthorization` says. */
export interface MailboxReauthorization {
  mailboxId: string;
  name: string;
  address: string;
  provider: string;
  reason: string;
}

/**
 * The source id of a disable's notifications: one per endpoint and moment of disabling, so that a retried
 * transaction cannot notify twice, while the same endpoint disabled again after an admin enabled it notifies anew.
 */
export function disableSourceId(endpointId: string, at: Date): string {
  const b = createHash('sha256').update(`webhook_disabled:${endpointId}:${at.toISOString()}`).digest();
  // a version-8 (custom) UUID, so the column's uuid type takes it
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class AdminNoticesUseCase implements EndpointDisabledHook {
  constructor(
    private readonly deps: {
      notify: NotifyUseCase;
      /** After a handler wrote notifications (the outbox is nudged once the transaction commits). */
      onNotified(outcome: NotifyOutcome): void;
    },
  ) {}

  /** Runs in the transaction that disabled the endpoint. */
  async endpointDisabled(store: NotifyStore, event: EndpointDisabled): Promise<void> {
    const source: TriggerSource = {
      eventId: disableSourceId(event.endpointId, event.at),
      tenantId: event.tenantId,
      actor: { type: 'system', id: '', name: 'Webhooks' },
      traceparent: null,
    };
    this.deps.onNotified(
      await this.deps.notify.handle(
        store,
        {
          kind: 'webhook_disabled',
          endpointId: event.endpointId,
          url: event.url,
          reason: event.reason,
          failingSince: event.failingSince,
          at: event.at,
        },
        source,
      ),
    );
  }

  /** Runs in the inbox transaction of mail-ingest's event; its id keeps a redelivery from notifying twice. */
  async mailboxNeedsReauthorization(
    store: NotifyStore,
    mailbox: MailboxReauthorization,
    source: { eventId: string; tenantId: string; traceparent: string | null },
  ): Promise<NotifyOutcome> {
    const outcome = await this.deps.notify.handle(
      store,
      { kind: 'mailbox_reauthorization', ...mailbox },
      { ...source, actor: { type: 'system', id: '', name: 'Mail' } },
    );
    this.deps.onNotified(outcome);
    return outcome;
  }
}

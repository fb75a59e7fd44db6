import { handlingTraceparent, type EventHandler } from '@helpdesk/bus';
import type { RecordWebhookEventUseCase } from '../../app/record-webhook-event.use-case';
import { PgWebhookEventStore } from '../../infra/webhook-store.pg';

/**
 * Every event of a stream → one delivery per subscribed active endpoint, in the inbox transaction. The raw
 * envelope is taken as it came (its `data` is what the receivers get), not re-encoded.
 */
export function webhookEventsHandler(record: RecordWebhookEventUseCase, written: () => void): EventHandler {
  return async (envelope, tx) => {
    const count = await record.record(new PgWebhookEventStore(tx), envelope, handlingTraceparent(envelope));
    // the inbox transaction commits after the handler returns
    if (count > 0) setTimeout(written, 20);
  };
}

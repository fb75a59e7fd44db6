// The bus over the event catalog (@helpdesk/contracts): producers enqueue typed events, consumers get them
// decoded once, with a `type` a switch can be exhaustive over.
import {
  decodeEvent,
  encodeEvent,
  isEventType,
  type CatalogEvent,
  type EventData,
  type EventType,
} from '@helpdesk/contracts';
import type { PoolClient } from 'pg';
import type { EventHandler } from './consumer';
import { createEnvelope, type EventEnvelope } from './envelope';
import type { BusLogger } from './logger';
import { enqueueEvent, type OutboxWriter } from './outbox';

/** An envelope whose `data` is the decoded catalog message of its `type`. */
export type CatalogEnvelope = Omit<EventEnvelope, 'type' | 'data'> & CatalogEvent;

/** Handles one decoded catalog event inside the inbox transaction. */
export type CatalogEventHandler = (event: CatalogEnvelope, tx: PoolClient) => Promise<void>;

/** A fresh envelope (docs/product/events.md) of a catalog event; `data` is the message, written as its proto JSON. */
export function createEventEnvelope<K extends EventType>(
  type: K,
  tenantId: string,
  data: EventData<K>,
): EventEnvelope {
  return createEnvelope({ type, tenantId, data: encodeEvent(type, data) });
}

/** Writes a catalog event to the outbox inside the caller's transaction (see {@link enqueueEvent}). */
export async function enqueueCatalogEvent<K extends EventType>(
  tx: OutboxWriter,
  type: K,
  tenantId: string,
  data: EventData<K>,
): Promise<EventEnvelope> {
  const envelope = createEventEnvelope(type, tenantId, data);
  await enqueueEvent(tx, envelope);
  return envelope;
}

/** Decodes a validated envelope's data by the catalog; throws `UnknownEventTypeError` for an unknown type. */
export function decodeEnvelope(envelope: EventEnvelope): CatalogEnvelope {
  const { type: _type, data: _data, ...rest } = envelope;
  return { ...rest, ...decodeEvent(envelope.type, envelope.data) };
}

/**
 * A consumer handler over the catalog. An event of a type this build does not know (a newer producer) is
 * acknowledged and skipped, as consumers always ignored types they had no use for; data that does not decode
 * throws, so the event is retried and then dead-lettered.
 */
export function catalogHandler(handle: CatalogEventHandler, logger?: BusLogger): EventHandler {
  return async (envelope, tx) => {
    if (!isEventType(envelope.type)) {
      logger?.debug?.(
        { eventId: envelope.id, type: envelope.type },
        'event type not in the catalog; skipped',
      );
      return;
    }
    await handle(decodeEnvelope(envelope), tx);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The tenant and zone a `helpdesk.identity.tenant_created` or `tenant_updated` event announces, the id in lower
 * case. A payload that names another tenant than its envelope, or no valid one, is refused (it would seed or move
 * that other tenant), and so goes to the dead letters after the retries.
 */
export function announcedTenant(
  event: Extract<
    CatalogEnvelope,
    { type: 'helpdesk.identity.tenant_created' | 'helpdesk.identity.tenant_updated' }
  >,
): { tenantId: string; timezone: string } {
  const tenantId = event.data.tenantId.toLowerCase();
  if (!UUID.test(tenantId) || event.data.timezone.length > 64) throw new Error('invalid tenant event data');
  if (tenantId !== event.tenantId.toLowerCase()) throw new Error('event data belongs to another tenant');
  return { tenantId, timezone: event.data.timezone };
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as automationEvents from './gen/helpdesk/automation/v1/events';
import * as identityEvents from './gen/helpdesk/identity/v1/events';
import * as mailEvents from './gen/helpdesk/mail/v1/events';
import * as notificationEvents from './gen/helpdesk/notification/v1/events';
import * as slaEvents from './gen/helpdesk/sla/v1/events';
import * as ticketEvents from './gen/helpdesk/ticket/v1/events';
import * as timeEvents from './gen/helpdesk/timekeeping/v1/events';
import {
  EVENT_CATALOG,
  EVENT_TYPES,
  UnknownEventTypeError,
  assertNever,
  decodeEvent,
  encodeEvent,
  eventDomainOf,
  eventTypesOf,
  ticketsOfEvent,
  type CatalogEvent,
  type EventType,
} from './events';

const PROTO_ROOT = join(__dirname, '../../../proto/helpdesk');
const GENERATED: Record<string, Record<string, unknown>> = {
  'helpdesk.automation.v1': automationEvents,
  'helpdesk.identity.v1': identityEvents,
  'helpdesk.mail.v1': mailEvents,
  'helpdesk.notification.v1': notificationEvents,
  'helpdesk.sla.v1': slaEvents,
  'helpdesk.ticket.v1': ticketEvents,
  'helpdesk.timekeeping.v1': timeEvents,
};

interface ProtoMessage {
  pkg: string;
  name: string;
  /** The types its "Data of `…`" comment names. */
  types: string[];
  /** Used as a field of another message of the file (a part, not an event). */
  nested: boolean;
}

function eventsProtos(): ProtoMessage[] {
  const out: ProtoMessage[] = [];
  for (const dir of readdirSync(PROTO_ROOT)) {
    let text: string;
    try {
      text = readFileSync(join(PROTO_ROOT, dir, 'v1/events.proto'), 'utf8');
    } catch {
      continue;
    }
    const pkg = /^package ([\w.]+);/m.exec(text)![1]!;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const m = /^message (\w+) \{/.exec(line);
      if (!m) return;
      let comment = '';
      for (let j = i - 1; j >= 0 && lines[j]!.startsWith('//'); j--) comment = `${lines[j]} ${comment}`;
      const types = /Data of/.test(comment)
        ? [...comment.matchAll(/`(helpdesk\.[a-z_]+\.[a-z_]+)`/g)].map((t) => t[1]!)
        : [];
      const nested = new RegExp(`^\\s+(repeated |optional )?${m[1]} \\w+ = \\d+;`, 'm').test(text);
      out.push({ pkg, name: m[1]!, types, nested });
    });
  }
  return out;
}

function generatedName(message: unknown): string {
  for (const [pkg, mod] of Object.entries(GENERATED)) {
    for (const [name, value] of Object.entries(mod)) if (value === message) return `${pkg}.${name}`;
  }
  throw new Error('catalog message is not a generated events.proto message');
}

// Proto JSON as producers have written it to outboxes and streams: decode then encode must give it back.
const ticket = { id: 't1', tenantId: 'a1', number: 7, title: 'Printer', status: 'open', version: 3 };
const actor = { type: 'ACTOR_TYPE_USER', id: 'u1' };
const sla = { ticketId: 't1', ticketNumber: 7, target: 'resolution', sequence: 4 };
const entry = { id: 'e1', tenantId: 'a1', ticketId: 't1', userId: 'u1', durationMinutes: 15 };
const time = { ticketId: 't1', ticketTimeSpentMinutes: 45, sequence: 2, actor };
const FIXTURES: Record<EventType, Record<string, unknown>> = {
  'helpdesk.identity.tenant_created': {
    tenantId: 'a1',
    name: 'Acme',
    timezone: 'Europe/Berlin',
    slug: 'acme',
  },
  'helpdesk.identity.tenant_updated': { tenantId: 'a1', name: 'Acme 2', timezone: 'UTC', slug: 'acme' },
  'helpdesk.identity.user_created': {
    userId: 'u1',
    email: 'a@x.test',
    name: 'A',
    role: 'agent',
    handle: 'a',
    active: true,
  },
  'helpdesk.identity.user_updated': {
    userId: 'u1',
    email: 'a@x.test',
    name: 'A',
    role: 'admin',
    handle: 'a',
  },
  'helpdesk.ticket.created': { ticket, actor, message: { id: 'm1', ticketId: 't1', kind: 'email_in' } },
  'helpdesk.ticket.updated': {
    ticket,
    actor,
    changes: [{ field: 'priority', fromJson: '"low"', toJson: '"high"' }],
  },
  'helpdesk.ticket.status_changed': { ticket, actor, from: 'open', to: 'pending' },
  'helpdesk.ticket.assigned': { ticket, actor, previousAssigneeId: 'u2' },
  'helpdesk.ticket.message_added': {
    ticket,
    actor,
    message: { id: 'm2', ticketId: 't1', kind: 'public_reply' },
  },
  'helpdesk.ticket.merged': { ticket, actor, into: { ...ticket, id: 't2', number: 8 }, movedMessages: 3 },
  'helpdesk.ticket.client_created': {
    client: { id: 'c1', tenantId: 'a1', name: 'Client', domains: ['x.test'] },
  },
  'helpdesk.ticket.client_updated': {
    client: { id: 'c1', tenantId: 'a1', name: 'Client', slaPolicyId: 'p1' },
  },
  'helpdesk.ticket.contact_created': { contact: { id: 'k1', tenantId: 'a1', name: 'K', email: 'k@x.test' } },
  'helpdesk.ticket.contact_updated': { contact: { id: 'k1', tenantId: 'a1', name: 'K', clientId: 'c1' } },
  'helpdesk.mail.received': {
    inboundId: 'i1',
    mailboxId: 'b1',
    ticketId: 't1',
    ticketNumber: 7,
    outcome: 'created',
    references: ['<a@x>'],
    oversizeAttachments: [{ filename: 'big.iso', size: 99 }],
  },
  'helpdesk.mail.mailbox_needs_reauthorization': {
    mailboxId: 'b1',
    mailboxName: 'Support',
    mailboxAddress: 'support@x.test',
    provider: 'microsoft',
    reason: 'invalid_grant: AADSTS50173',
  },
  'helpdesk.sla.warning': sla,
  'helpdesk.sla.breached': { ...sla, sequence: 5 },
  'helpdesk.sla.met': { ...sla, sequence: 6 },
  'helpdesk.sla.updated': { ...sla, sequence: 7 },
  'helpdesk.time.timer_started': {
    ...time,
    timer: { id: 'r1', tenantId: 'a1', ticketId: 't1', userId: 'u1' },
  },
  'helpdesk.time.timer_stopped': { ...time, entry },
  'helpdesk.time.entry_created': { ...time, entry },
  'helpdesk.time.entry_updated': { ...time, entry: { ...entry, durationMinutes: 30 } },
  'helpdesk.time.entry_deleted': { ...time, entry },
  'helpdesk.automation.notify_requested': {
    ruleId: 'r1',
    ruleName: 'Escalate',
    ruleVersion: 2,
    ticketId: 't1',
    ticketNumber: 7,
    ticketTitle: 'Printer',
    userIds: ['u1'],
    message: 'Look at #7',
  },
  'helpdesk.automation.rule_fired': {
    runId: 'n1',
    ruleId: 'r1',
    ruleName: 'Close stale',
    ruleVersion: 3,
    trigger: { type: 'time', eventId: 'timer:r1:t1:1764750000000' },
    ticketId: 't1',
    ticketNumber: 7,
    actions: [{ type: 'webhook', result: 'pending' }],
    firedAt: '2026-12-01T09:00:00.000Z',
  },
  'helpdesk.automation.run_completed': {
    runId: 'n1',
    ruleId: 'r1',
    ruleName: 'Close stale',
    ruleVersion: 3,
    trigger: { type: 'schedule', eventId: 'schedule:r1:2026-12-01T08:00:00.000Z' },
    actions: [
      { type: 'create_ticket', result: 'ok' },
      { type: 'webhook', result: 'failed', error: 'the webhook is disabled (admin)' },
    ],
    firedAt: '2026-12-01T09:00:00.000Z',
    completedAt: '2026-12-01T09:00:00.120Z',
  },
  'helpdesk.notify.created': {
    notification: {
      id: 'n1',
      tenantId: 'a1',
      userId: 'u1',
      type: 'assigned',
      ticketId: 't1',
      ticketNumber: 7,
      title: '#7 assigned to you',
      actor: { type: 'user', id: 'u2', name: 'Bo' },
      createdAt: '2026-12-01T09:00:00.000Z',
    },
  },
};

describe('event catalog', () => {
  const protos = eventsProtos();

  it('has an entry for every event message of every events.proto, with the types its comment names', () => {
    const events = protos.filter((m) => !m.nested);
    expect(events.length).toBeGreaterThanOrEqual(17);
    const byMessage = new Map<string, string[]>();
    for (const type of EVENT_TYPES) {
      const name = generatedName(EVENT_CATALOG[type]);
      byMessage.set(name, [...(byMessage.get(name) ?? []), type]);
    }
    for (const m of events) {
      const name = `${m.pkg}.${m.name}`;
      // a new event message needs its "Data of `helpdesk.<domain>.<event>`" comment and its catalog lines
      expect({ name, types: m.types.length > 0 ? m.types : ['(no "Data of" comment)'] }).toEqual({
        name,
        types: byMessage.get(name) ?? ['(not in the catalog)'],
      });
    }
    expect([...byMessage.keys()].sort()).toEqual(events.map((m) => `${m.pkg}.${m.name}`).sort());
  });

  it('names each stream by the type’s domain', () => {
    expect(eventDomainOf('helpdesk.time.entry_created')).toBe('time');
    expect(eventTypesOf('sla')).toEqual([
      'helpdesk.sla.warning',
      'helpdesk.sla.breached',
      'helpdesk.sla.met',
      'helpdesk.sla.updated',
    ]);
    for (const type of EVENT_TYPES) expect(type).toMatch(/^helpdesk\.[a-z]+\.[a-z_]+$/);
  });

  it.each(EVENT_TYPES)('%s: proto JSON decodes and encodes back to the same wire data', (type) => {
    const json = FIXTURES[type];
    const decoded = decodeEvent(type, json);
    expect(decoded.type).toBe(type);
    expect(encodeEvent(decoded.type, decoded.data as never)).toEqual(json);
    expect(decodeEvent(type, encodeEvent(decoded.type, decoded.data as never))).toEqual(decoded);
  });

  it('rejects an unknown type with a clear error', () => {
    expect(() => decodeEvent('helpdesk.ticket.exploded', {})).toThrow(UnknownEventTypeError);
    expect(() => decodeEvent('helpdesk.ticket.exploded', {})).toThrow(
      'unknown event type "helpdesk.ticket.exploded": not in the event catalog',
    );
    expect(() => decodeEvent('toString', {})).toThrow(UnknownEventTypeError);
  });

  it('narrows data by type in a switch that must be exhaustive', () => {
    const ticketOf = (event: CatalogEvent): string => {
      switch (event.type) {
        case 'helpdesk.ticket.created':
        case 'helpdesk.ticket.updated':
        case 'helpdesk.ticket.status_changed':
        case 'helpdesk.ticket.assigned':
        case 'helpdesk.ticket.message_added':
        case 'helpdesk.ticket.merged':
          return event.data.ticket?.id ?? '';
        case 'helpdesk.mail.received':
        case 'helpdesk.sla.warning':
        case 'helpdesk.sla.breached':
        case 'helpdesk.sla.met':
        case 'helpdesk.sla.updated':
        case 'helpdesk.time.timer_started':
        case 'helpdesk.time.timer_stopped':
        case 'helpdesk.time.entry_created':
        case 'helpdesk.time.entry_updated':
        case 'helpdesk.time.entry_deleted':
        case 'helpdesk.automation.notify_requested':
        case 'helpdesk.automation.rule_fired':
        case 'helpdesk.automation.run_completed':
          return event.data.ticketId;
        case 'helpdesk.notify.created':
          return event.data.notification?.ticketId ?? '';
        case 'helpdesk.identity.tenant_created':
        case 'helpdesk.identity.tenant_updated':
        case 'helpdesk.identity.user_created':
        case 'helpdesk.identity.user_updated':
        case 'helpdesk.ticket.client_created':
        case 'helpdesk.ticket.client_updated':
        case 'helpdesk.ticket.contact_created':
        case 'helpdesk.ticket.contact_updated':
        case 'helpdesk.mail.mailbox_needs_reauthorization':
          return '';
        default:
          return assertNever(event, 'event');
      }
    };
    expect(ticketOf(decodeEvent('helpdesk.ticket.merged', FIXTURES['helpdesk.ticket.merged']))).toBe('t1');
    expect(ticketOf(decodeEvent('helpdesk.sla.met', FIXTURES['helpdesk.sla.met']))).toBe('t1');
    expect(() => assertNever({ type: 'x' } as never, 'event')).toThrow('unexpected event: {"type":"x"}');
  });
});

describe('ticketsOfEvent', () => {
  it('gives the ticket of each ticket event, both tickets of a merge, none for the rest', () => {
    const ids = (type: EventType) => ticketsOfEvent(decodeEvent(type, FIXTURES[type])).map((t) => t?.id);
    expect(ids('helpdesk.ticket.created')).toEqual(['t1']);
    expect(ids('helpdesk.ticket.message_added')).toEqual(['t1']);
    expect(ids('helpdesk.ticket.merged')).toEqual(['t1', 't2']);
    expect(ids('helpdesk.ticket.client_updated')).toEqual([]);
    expect(ids('helpdesk.sla.met')).toEqual([]);
  });
});

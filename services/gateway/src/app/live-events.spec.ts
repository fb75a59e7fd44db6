import { decodeEvent, notificationFeedV1, ticketV1 } from '@helpdesk/contracts';
import {
  contactMaySee,
  formatEventId,
  liveEventOf,
  messageFor,
  parseEventId,
  viewerAfter,
  type LiveAudience,
} from './live-events';

const A = 'tenant-a';
const ticket = ticketV1.Ticket.fromPartial({
  id: 't1',
  tenantId: A,
  number: 1042,
  title: 'Printer',
  status: 'open',
  priority: 'high',
  assigneeId: 'u1',
  teamId: '',
  clientId: 'c1',
  contactId: 'k1',
  updatedAt: new Date('2026-12-01T09:00:00Z'),
});
const toJson = (n: notificationFeedV1.Notification) => ({ id: n.id });

const agent = (userId: string | null, tenantId = A): LiveAudience => ({ kind: 'agent', tenantId, userId });
const contact = (portalAccess: string, contactId = 'k1', clientId: string | null = 'c1'): LiveAudience => ({
  kind: 'contact',
  tenantId: A,
  viewer: { contactId, clientId, portalAccess },
});

function updated(field: string) {
  return liveEventOf(
    'ticket',
    7,
    A,
    decodeEvent('helpdesk.ticket.updated', {
      ticket: ticketV1.Ticket.toJSON(ticket),
      changes: [{ field, fromJson: 'null', toJson: 'null' }],
    }),
  );
}

function message(kind: string) {
  return liveEventOf(
    'ticket',
    8,
    A,
    decodeEvent('helpdesk.ticket.message_added', {
      ticket: ticketV1.Ticket.toJSON(ticket),
      message: { id: 'm1', ticketId: 't1', kind },
    }),
  );
}

describe('event ids', () => {
  it('carry both stream positions and read back; anything else starts live', () => {
    expect(formatEventId({ ticket: 12, notify: 3 })).toBe('12.3');
    expect(parseEventId('12.3')).toEqual({ ticket: 12, notify: 3 });
    for (const bad of [undefined, '', '12', 'a.b', '1.2.3', '-1.2']) expect(parseEventId(bad)).toBeNull();
  });
});

describe('what agents get', () => {
  it('every ticket change of their tenant, with the SPEC fields, and nothing of another tenant', () => {
    const msg = messageFor(updated('tags'), agent('u9'), toJson);
    expect(msg).toEqual({
      event: 'ticket',
      data: {
        type: 'ticket.updated',
        ticket: {
          id: 't1',
          number: 1042,
          title: 'Printer',
          status: 'open',
          priority: 'high',
          assigneeId: 'u1',
          teamId: null,
          clientId: 'c1',
          updatedAt: '2026-12-01T09:00:00.000Z',
        },
      },
    });
    expect(messageFor(message('internal_note'), agent(null), toJson)?.event).toBe('ticket');
    expect(messageFor(updated('tags'), agent('u9', 'tenant-b'), toJson)).toBeNull();
  });

  it('a notification only when it is theirs', () => {
    const event = liveEventOf(
      'notify',
      4,
      A,
      decodeEvent('helpdesk.notify.created', { notification: { id: 'n1', userId: 'u1', type: 'assigned' } }),
    );
    expect(messageFor(event, agent('u1'), toJson)).toEqual({ event: 'notification', data: { id: 'n1' } });
    expect(messageFor(event, agent('u2'), toJson)).toBeNull();
    expect(messageFor(event, agent(null), toJson)).toBeNull();
    expect(messageFor(event, contact('client'), toJson)).toBeNull();
  });

  it('no second event for the status_changed and assigned that accompany updated', () => {
    const status = liveEventOf(
      'ticket',
      9,
      A,
      decodeEvent('helpdesk.ticket.status_changed', {
        ticket: ticketV1.Ticket.toJSON(ticket),
        to: 'resolved',
      }),
    );
    expect(status.type).toBe('none');
    expect(messageFor(status, agent('u1'), toJson)).toBeNull();
    expect(liveEventOf('ticket', 10, A, null).type).toBe('none');
  });
});

describe('what a contact gets', () => {
  it('public changes of the tickets it may see, without agents or teams', () => {
    const msg = messageFor(message('public_reply'), contact('own'), toJson);
    expect(msg?.data).toEqual({
      type: 'ticket.message_added',
      ticket: {
        id: 't1',
        number: 1042,
        title: 'Printer',
        status: 'open',
        priority: 'high',
        updatedAt: '2026-12-01T09:00:00.000Z',
      },
    });
    expect(messageFor(updated('status'), contact('own'), toJson)).not.toBeNull();
  });

  it('never an internal note or an internal field', () => {
    expect(messageFor(message('internal_note'), contact('own'), toJson)).toBeNull();
    expect(messageFor(updated('assigneeId'), contact('own'), toJson)).toBeNull();
    expect(messageFor(updated('tags'), contact('own'), toJson)).toBeNull();
  });

  it('follows portal access: own, the client’s, none; and changes of it while connected', () => {
    expect(contactMaySee({ contactId: 'k2', clientId: 'c1', portalAccess: 'own' }, ticket)).toBe(false);
    expect(contactMaySee({ contactId: 'k2', clientId: 'c1', portalAccess: 'client' }, ticket)).toBe(true);
    expect(contactMaySee({ contactId: 'k1', clientId: 'c1', portalAccess: 'none' }, ticket)).toBe(false);
    const revoked = liveEventOf(
      'ticket',
      11,
      A,
      decodeEvent('helpdesk.ticket.contact_updated', {
        contact: { id: 'k1', tenantId: A, clientId: 'c1', portalAccess: 'none' },
      }),
    );
    const after = viewerAfter(revoked, contact('own'));
    expect(messageFor(message('public_reply'), after, toJson)).toBeNull();
    // someone else's contact change leaves the viewer as it was
    expect(viewerAfter(revoked, contact('own', 'k9'))).toEqual(contact('own', 'k9'));
  });
});

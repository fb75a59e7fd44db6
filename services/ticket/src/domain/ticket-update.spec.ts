import { DomainError } from '@helpdesk/platform';
import fc from 'fast-check';
import { DEFAULT_TICKET_SETTINGS } from './settings';
import { openTicket, TICKET_PRIORITIES, TICKET_STATUSES, TicketRuleError, type Ticket } from './ticket';
import {
  applyTicketPatch,
  applyToTicket,
  contactFitsClient,
  diffTicket,
  touched,
  TRACKED_FIELDS,
  type TicketPatch,
} from './ticket-update';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const USER = '5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d';
const OTHER_USER = '6b5c4d3e-2f1a-4b2c-9d3e-4f5a6b7c8d9e';

function fresh(): Ticket {
  return openTicket({
    id: '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10',
    tenantId: '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b',
    number: 1001,
    title: 'Printer offline',
    descriptionHtml: '',
    descriptionText: '',
    requester: { email: 'ann@client.example', name: 'Ann' },
    createdBy: { type: 'user', id: USER },
    now: T0,
  });
}

const patch = (ticket: Ticket, p: TicketPatch, minutes = 1) =>
  applyTicketPatch(ticket, p, at(minutes), DEFAULT_TICKET_SETTINGS);

describe('applyTicketPatch', () => {
  it('moves the status through the workflow: resolved sets resolvedAt and details, and asks to notify', () => {
    const { ticket, effects } = patch(fresh(), { status: 'resolved', resolutionDetails: ' Replaced toner ' });
    expect(ticket).toMatchObject({
      status: 'resolved',
      resolvedAt: at(1),
      resolutionDetails: 'Replaced toner',
    });
    expect(effects.map((e) => e.kind)).toEqual(['status_changed', 'notify_customer_resolved', 'todo_done']);
  });

  it('refuses to leave closed without reopen, and reopens and moves in one patch', () => {
    const closed = patch(fresh(), { status: 'closed' }).ticket;
    expect(() => patch(closed, { status: 'in_progress' }, 2)).toThrow(DomainError);
    const { ticket, effects } = patch(closed, { reopen: true, status: 'in_progress' }, 2);
    expect(ticket).toMatchObject({ status: 'in_progress', closedAt: null, resolvedAt: null });
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'closed', to: 'in_progress' },
      { kind: 'todo_reopen' },
    ]);
  });

  it('a reopen then resolve nets out the to-do and reports one status change', () => {
    const closed = patch(fresh(), { status: 'closed' }).ticket;
    const { effects } = patch(closed, { reopen: true, status: 'resolved' }, 2);
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'closed', to: 'resolved' },
      { kind: 'notify_customer_resolved' },
    ]);
  });

  it("takes type and category from the tenant's lists in the tenant's spelling, and refuses others", () => {
    const { ticket } = patch(fresh(), { type: 'service request', category: 'NETWORK' });
    expect(ticket).toMatchObject({ type: 'Service Request', category: 'Network' });
    expect(patch(ticket, { type: '', category: null }).ticket).toMatchObject({ type: null, category: null });
    expect(() => patch(fresh(), { type: 'Outage' })).toThrow(TicketRuleError);
  });

  it('sets the plain fields and normalizes them', () => {
    const { ticket } = patch(fresh(), {
      title: '  Printer   still offline ',
      priority: 'high',
      assigneeId: USER,
      tags: ['Printer', 'printer', 'floor-2'],
      links: { project: 'PRJ-1' },
      cc: ['Boss@Client.example'],
    });
    expect(ticket).toMatchObject({
      title: 'Printer still offline',
      priority: 'high',
      assigneeId: USER,
      tags: ['printer', 'floor-2'],
      links: { project: 'PRJ-1', lead: null },
      cc: ['boss@client.example'],
    });
    // a links patch changes only what it names
    expect(patch(ticket, { links: { lead: 'L-9' } }).ticket.links).toEqual({ project: 'PRJ-1', lead: 'L-9' });
  });

  it('moves to another client and contact: the requester follows the contact, raisedBy stays, cc drops the new requester', () => {
    const before = patch(fresh(), { cc: ['bo@globex.example', 'al@globex.example'] }).ticket;
    const contact = { id: OTHER_USER, email: 'bo@globex.example', name: 'Bo' };
    const { ticket } = patch(before, { clientId: USER, contact });
    expect(ticket).toMatchObject({
      clientId: USER,
      contactId: OTHER_USER,
      requester: { email: 'bo@globex.example', name: 'Bo' },
      raisedBy: 'ann@client.example',
      cc: ['al@globex.example'],
    });
    expect(diffTicket(before, ticket).map((c) => c.field)).toEqual(['clientId', 'contactId', 'cc']);
  });
});

describe('contactFitsClient', () => {
  it("takes a contact of the ticket's client or of none, never one of another client", () => {
    expect(contactFitsClient(USER, USER)).toBe(true);
    expect(contactFitsClient(null, USER)).toBe(true);
    expect(contactFitsClient(null, null)).toBe(true);
    expect(contactFitsClient(OTHER_USER, USER)).toBe(false);
    expect(contactFitsClient(USER, null)).toBe(false);
  });
});

describe('diffTicket', () => {
  it('lists each tracked field that changed, with JSON values', () => {
    const before = fresh();
    const after = patch(before, { status: 'resolved', assigneeId: USER, tags: ['x'] }).ticket;
    expect(diffTicket(before, after)).toEqual([
      { field: 'status', from: 'open', to: 'resolved' },
      { field: 'assigneeId', from: null, to: USER },
      { field: 'tags', from: [], to: ['x'] },
      { field: 'resolvedAt', from: null, to: at(1).toISOString() },
    ]);
    expect(diffTicket(after, after)).toEqual([]);
  });

  it('does not report bookkeeping (reply times, version) as changes', () => {
    const before = fresh();
    const replied = applyToTicket(before, { type: 'customer_reply' }, at(1), DEFAULT_TICKET_SETTINGS).ticket;
    expect(replied.lastCustomerReplyAt).toEqual(at(1));
    expect(diffTicket(before, replied)).toEqual([]);
    expect(diffTicket(before, touched(before, at(1)))).toEqual([]);
  });
});

describe('touched', () => {
  it('bumps the version and never moves updatedAt backwards', () => {
    const t = fresh();
    expect(touched(t, at(5))).toMatchObject({ version: 2, updatedAt: at(5) });
    expect(touched(touched(t, at(5)), at(1))).toMatchObject({ version: 3, updatedAt: at(5) });
  });
});

describe('random patch sequences (property)', () => {
  const patchArb: fc.Arbitrary<TicketPatch> = fc.record(
    {
      status: fc.constantFrom(...TICKET_STATUSES),
      reopen: fc.boolean(),
      priority: fc.constantFrom(...TICKET_PRIORITIES),
      assigneeId: fc.constantFrom(USER, OTHER_USER, null),
      type: fc.constantFrom('Incident', 'Problem', null),
      tags: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }),
      resolutionDetails: fc.constantFrom('', 'Fixed'),
    },
    { requiredKeys: [] },
  );

  it('keeps the workflow invariants on the whole ticket, and the diff names exactly the tracked fields that differ', () => {
    fc.assert(
      fc.property(fc.array(patchArb, { maxLength: 30 }), (patches) => {
        let ticket = fresh();
        patches.forEach((p, i) => {
          let next: Ticket;
          try {
            next = patch(ticket, p, i + 1).ticket;
          } catch (err) {
            expect(err instanceof DomainError || err instanceof TicketRuleError).toBe(true);
            return;
          }
          const changed = new Set(diffTicket(ticket, next).map((c) => c.field));
          for (const field of TRACKED_FIELDS) {
            expect(changed.has(field)).toBe(JSON.stringify(ticket[field]) !== JSON.stringify(next[field]));
          }
          expect(next.closedAt !== null).toBe(next.status === 'closed');
          expect(next.resolvedAt !== null).toBe(next.status === 'resolved' || next.status === 'closed');
          expect(next.firstRespondedAt).toBeNull();
          expect(next.openedAt).toEqual(T0);
          ticket = next;
        });
      }),
      { numRuns: 500 },
    );
  });
});

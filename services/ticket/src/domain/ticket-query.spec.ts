import fc from 'fast-check';
import { decodeSeqCursor, encodeSeqCursor, InvalidCursorError, isUuid } from '@helpdesk/platform';
import { openTicket, TICKET_PRIORITIES, type Ticket } from './ticket';
import {
  cursorAfter,
  decodeTicketCursor,
  encodeTicketCursor,
  TICKET_SORTS,
  type TicketSort,
} from './ticket-query';

const ticketArb: fc.Arbitrary<Ticket> = fc
  .record({
    id: fc.uuid(),
    number: fc.integer({ min: 1, max: 2_000_000_000 }),
    priority: fc.constantFrom(...TICKET_PRIORITIES),
    openedAt: fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    updatedAt: fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  })
  .map((r) => ({
    ...openTicket({
      id: r.id,
      tenantId: '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b',
      number: r.number,
      title: 't',
      descriptionHtml: '',
      descriptionText: '',
      priority: r.priority,
      requester: { email: 'a@b.example', name: '' },
      createdBy: { type: 'user', id: 'u' },
      now: r.openedAt,
    }),
    updatedAt: r.updatedAt,
  }));

describe('ticket list cursors', () => {
  it('round-trip every sort for any ticket and stay URL-safe', () => {
    fc.assert(
      fc.property(
        ticketArb,
        fc.constantFrom(...TICKET_SORTS),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (ticket, sort, rank) => {
          const cursor = cursorAfter(sort, ticket, rank);
          const encoded = encodeTicketCursor(cursor);
          expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(decodeTicketCursor(encoded, sort)).toEqual({ ...cursor, id: ticket.id.toLowerCase() });
        },
      ),
    );
  });

  it('refuses a cursor made for another order', () => {
    fc.assert(
      fc.property(
        ticketArb,
        fc.constantFrom(...TICKET_SORTS),
        fc.constantFrom(...TICKET_SORTS),
        (ticket, made, used) => {
          fc.pre(made !== used);
          const encoded = encodeTicketCursor(cursorAfter(made, ticket));
          expect(() => decodeTicketCursor(encoded, used as TicketSort)).toThrow(InvalidCursorError);
        },
      ),
    );
  });

  const forged = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['JSON null', forged(null)],
    ['an array', forged(['-openedAt'])],
    ['missing id', forged({ s: '-openedAt', t: '2026-01-01T00:00:00.000Z' })],
    ['id not a uuid', forged({ s: '-openedAt', t: '2026-01-01T00:00:00.000Z', i: 'x' })],
    ['date not ISO', forged({ s: '-openedAt', t: 'yesterday', i: '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10' })],
    ['too long', 'A'.repeat(1025)],
  ])('rejects a -openedAt cursor that is %s', (_why, raw) => {
    expect(() => decodeTicketCursor(raw, '-openedAt')).toThrow(InvalidCursorError);
  });

  it('rejects a priority outside the list, a fractional number and a non-finite rank', () => {
    const id = '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10';
    expect(() =>
      decodeTicketCursor(forged({ s: 'priority', p: 4, t: '2026-01-01T00:00:00.000Z', i: id }), 'priority'),
    ).toThrow(InvalidCursorError);
    expect(() => decodeTicketCursor(forged({ s: 'number', n: 1.5, i: id }), 'number')).toThrow(
      InvalidCursorError,
    );
    expect(() => decodeTicketCursor(forged({ s: 'relevance', r: 'high', i: id }), 'relevance')).toThrow(
      InvalidCursorError,
    );
  });

  it('round-trips sequence cursors and refuses others', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (seq) => {
        expect(decodeSeqCursor(encodeSeqCursor(seq))).toBe(seq);
      }),
    );
    expect(() => decodeSeqCursor(forged({ s: '-1' }))).toThrow(InvalidCursorError);
    expect(() => decodeSeqCursor(forged({ s: 12 }))).toThrow(InvalidCursorError);
  });

  it('recognises uuids', () => {
    expect(isUuid('3B0C7A5E-6C1F-4F7E-9A53-2F1D7C1B9E10')).toBe(true);
    expect(isUuid('3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e1')).toBe(false);
    expect(isUuid('1; drop table tickets')).toBe(false);
  });
});

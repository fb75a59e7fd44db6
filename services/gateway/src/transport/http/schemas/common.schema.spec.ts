import { z } from 'zod';
import { TICKET_STATUSES } from '../../../app/rest-values';
import { toPage, toPageRequest } from '../../../app/pagination';
import { listFilter, pageQuerySchema } from './common.schema';
import { listTicketsQuerySchema } from './ticket.schema';

describe('pagination query', () => {
  it('defaults limit to 50 and leaves the cursor out', () => {
    expect(pageQuerySchema.parse({})).toEqual({ limit: 50 });
  });

  it('parses limit from the query string within 1..200', () => {
    expect(pageQuerySchema.parse({ limit: '1' }).limit).toBe(1);
    expect(pageQuerySchema.parse({ limit: '200', cursor: 'abc' })).toEqual({ limit: 200, cursor: 'abc' });
  });

  it.each(['0', '201', '-1', '1.5', 'abc', ''])('refuses limit=%j', (limit) => {
    expect(pageQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('refuses a repeated limit and unknown parameters', () => {
    expect(pageQuerySchema.safeParse({ limit: ['10', '20'] }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ offset: '10' }).success).toBe(false);
  });

  it('maps to the gRPC page and back, with null at the end', () => {
    expect(toPageRequest({ limit: 10 })).toEqual({ limit: 10, cursor: '' });
    expect(toPage({ items: [1, 2], nextCursor: '' }, (n) => n * 2)).toEqual({
      items: [2, 4],
      nextCursor: null,
    });
    expect(toPage({ items: [], nextCursor: 'c2' }, (n: number) => n)).toEqual({
      items: [],
      nextCursor: 'c2',
    });
  });
});

describe('list filters', () => {
  const schema = z.object({ status: listFilter(TICKET_STATUSES, 'statuses') });

  it('accepts a comma list, repeated values, or both, without duplicates', () => {
    expect(schema.parse({ status: 'open,in_progress' }).status).toEqual(['open', 'in_progress']);
    expect(schema.parse({ status: ['open', 'resolved,closed', 'open'] }).status).toEqual([
      'open',
      'resolved',
      'closed',
    ]);
    expect(schema.parse({}).status).toBeUndefined();
  });

  it('refuses unknown values', () => {
    expect(schema.safeParse({ status: 'open,bogus' }).success).toBe(false);
  });

  it('takes status and priority together with paging on the ticket list', () => {
    expect(
      listTicketsQuerySchema.parse({ status: 'open', priority: ['high', 'critical'], limit: '5' }),
    ).toEqual({
      status: ['open'],
      priority: ['high', 'critical'],
      limit: 5,
    });
    expect(listTicketsQuerySchema.safeParse({ assignee: 'me' }).success).toBe(false);
  });
});

import {
  OPEN_STATUSES,
  filtersFromSearch,
  label,
  neighbour,
  splitTags,
  searchFromFilters,
  ticketQuery,
  type ListFilters,
} from './tickets';

describe('the ticket list views', () => {
  it('asks GET /tickets for each view', () => {
    expect(ticketQuery({ view: 'mine' })).toEqual({
      status: [...OPEN_STATUSES],
      assigneeId: ['me'],
      sort: '-updatedAt',
      limit: 50,
    });
    expect(ticketQuery({ view: 'unassigned' }).assigneeId).toEqual(['none']);
    expect(ticketQuery({ view: 'breached' })).toMatchObject({ slaState: 'breached', status: OPEN_STATUSES });
    expect(ticketQuery({ view: 'open' })).not.toHaveProperty('assigneeId');
    expect(OPEN_STATUSES).not.toContain('resolved');
    expect(OPEN_STATUSES).not.toContain('closed');
  });

  it('lets a chosen status, a priority and a search narrow a view; a search sorts by relevance', () => {
    const query = ticketQuery({ view: 'mine', status: 'resolved', priority: 'high', q: 'printer' });
    expect(query).toEqual({
      status: ['resolved'],
      priority: ['high'],
      assigneeId: ['me'],
      q: 'printer',
      sort: 'relevance',
      limit: 50,
    });
  });

  it('keeps the filters in the address and reads them back, ignoring what is not a filter', () => {
    const filters: ListFilters = { view: 'unassigned', status: 'open', priority: 'critical', q: 'vpn down' };
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
    expect(filtersFromSearch('?view=bogus&status=nope&priority=&q=%20%20')).toEqual({ view: 'open' });
    expect(filtersFromSearch('')).toEqual({ view: 'open' });
  });

  it('labels values and walks the list', () => {
    expect(label('waiting_on_customer')).toBe('Waiting on customer');
    const ids = ['a', 'b', 'c'];
    expect(neighbour(ids, 'b', 1)).toBe('c');
    expect(neighbour(ids, 'b', -1)).toBe('a');
    expect(neighbour(ids, 'c', 1)).toBe('c');
    expect(neighbour(ids, 'a', -1)).toBe('a');
    expect(neighbour(ids, undefined, 1)).toBe('a');
    expect(neighbour(ids, 'zzz', -1)).toBe('a');
    expect(neighbour([], 'a', 1)).toBeUndefined();
  });
});

describe('tags as typed', () => {
  it('are trimmed, without empties and each once, in the order typed', () => {
    expect(splitTags(' vpn, urgent,, vpn ,')).toEqual(['vpn', 'urgent']);
    expect(splitTags('')).toEqual([]);
  });
});

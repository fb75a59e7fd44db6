import {
  checkResolutionDetails,
  normalizeCc,
  normalizeLinks,
  normalizeTags,
  defaultSourceFor,
  isTicketPriority,
  isTicketSource,
  isTicketStatus,
  normalizeTitle,
  openTicket,
  TicketRuleError,
  type NewTicketProps,
} from './ticket';

const base: NewTicketProps = {
  id: '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10',
  tenantId: '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b',
  number: 1001,
  title: '  Printer   on floor 2\tis down ',
  descriptionHtml: '<p>It jams.</p>',
  descriptionText: 'It jams.',
  requester: { email: '  Ann.Lee@Example.COM ', name: ' Ann Lee ' },
  createdBy: { type: 'user', id: 'user-1' },
  now: new Date('2026-03-01T10:00:00.000Z'),
};

describe('normalizeTitle', () => {
  it('trims and collapses whitespace', () => {
    expect(normalizeTitle('  a \n b  ')).toBe('a b');
  });

  it('rejects an empty or blank title', () => {
    expect(() => normalizeTitle('')).toThrow(TicketRuleError);
    expect(() => normalizeTitle(' \t\n ')).toThrow('title must not be empty');
  });

  it('accepts 300 characters and rejects 301', () => {
    expect(normalizeTitle('x'.repeat(300))).toHaveLength(300);
    expect(() => normalizeTitle('x'.repeat(301))).toThrow('at most 300');
    // the limit applies after trimming
    expect(normalizeTitle(` ${'x'.repeat(300)} `)).toHaveLength(300);
  });
});

describe('defaultSourceFor', () => {
  it.each([
    ['user', 'agent'],
    ['api_key', 'api'],
    ['contact', 'portal'],
    ['system', 'api'],
  ] as const)('%s creates tickets from %s', (actor, source) => {
    expect(defaultSourceFor(actor)).toBe(source);
  });
});

describe('value guards', () => {
  it('knows the statuses, priorities and sources of SPEC §2', () => {
    expect(isTicketStatus('waiting_on_third_party')).toBe(true);
    expect(isTicketStatus('pending')).toBe(false);
    expect(isTicketPriority('critical')).toBe(true);
    expect(isTicketPriority('urgent')).toBe(false);
    expect(isTicketSource('web_form')).toBe(true);
    expect(isTicketSource('fax')).toBe(false);
  });
});

describe('openTicket', () => {
  it('opens a ticket: status open, version 1, medium priority, source from the actor, raised by the requester', () => {
    const ticket = openTicket(base);
    expect(ticket).toEqual({
      id: base.id,
      tenantId: base.tenantId,
      number: 1001,
      title: 'Printer on floor 2 is down',
      descriptionHtml: '<p>It jams.</p>',
      descriptionText: 'It jams.',
      status: 'open',
      priority: 'medium',
      source: 'agent',
      raisedBy: 'ann.lee@example.com',
      requester: { email: 'ann.lee@example.com', name: 'Ann Lee' },
      createdBy: { type: 'user', id: 'user-1' },
      openedAt: base.now,
      updatedAt: base.now,
      version: 1,
      type: null,
      category: null,
      clientId: null,
      contactId: null,
      assigneeId: null,
      teamId: null,
      tags: [],
      cc: [],
      links: { project: null, lead: null },
      templateId: null,
      firstRespondedAt: null,
      resolvedAt: null,
      resolutionDetails: null,
      closedAt: null,
      lastCustomerReplyAt: null,
      lastAgentReplyAt: null,
      mergedIntoId: null,
      followUpOfId: null,
      sla: null,
      timeSpentMinutes: 0,
      rating: null,
    });
  });

  it('keeps an explicit priority and source', () => {
    const ticket = openTicket({
      ...base,
      priority: 'critical',
      source: 'phone',
      createdBy: { type: 'contact', id: 'c-1' },
    });
    expect(ticket.priority).toBe('critical');
    expect(ticket.source).toBe('phone');
  });

  it('derives the source of a contact and of the system', () => {
    expect(openTicket({ ...base, createdBy: { type: 'contact', id: 'c-1' } }).source).toBe('portal');
    expect(openTicket({ ...base, createdBy: { type: 'system', id: null } }).source).toBe('api');
  });

  it('rejects a bad number, a blank title and a missing requester e-mail', () => {
    expect(() => openTicket({ ...base, number: 0 })).toThrow(TicketRuleError);
    expect(() => openTicket({ ...base, number: 1.5 })).toThrow(TicketRuleError);
    expect(() => openTicket({ ...base, title: '   ' })).toThrow('title must not be empty');
    expect(() => openTicket({ ...base, requester: { email: ' ', name: 'x' } })).toThrow(
      'requester e-mail is required',
    );
  });
});

describe('ticket field rules', () => {
  it('normalizes tags: trimmed, lower-cased, de-duplicated in order; refuses odd characters and too many', () => {
    expect(normalizeTags([' VPN ', 'vpn', 'Printer', 'floor-2', 'ops:urgent'])).toEqual([
      'vpn',
      'printer',
      'floor-2',
      'ops:urgent',
    ]);
    expect(normalizeTags(['', '  '])).toEqual([]);
    expect(() => normalizeTags(['has space'])).toThrow(TicketRuleError);
    expect(() => normalizeTags(['-leading'])).toThrow(TicketRuleError);
    expect(() => normalizeTags(['x'.repeat(51)])).toThrow(TicketRuleError);
    expect(() => normalizeTags(Array.from({ length: 51 }, (_, i) => `t${i}`))).toThrow('at most 50 tags');
  });

  it('normalizes cc: valid addresses, lower-cased, without duplicates or the requester', () => {
    expect(
      normalizeCc(['Boss@Client.example', 'boss@client.example', 'ann@client.example'], 'ann@client.example'),
    ).toEqual(['boss@client.example']);
    expect(() => normalizeCc(['not an address'])).toThrow('is not a valid e-mail address');
  });

  it('keeps links as given, empty as none, and refuses long ones', () => {
    expect(normalizeLinks({ project: ' PRJ-7 ', lead: '' })).toEqual({ project: 'PRJ-7', lead: null });
    expect(() => normalizeLinks({ project: 'x'.repeat(501) })).toThrow(TicketRuleError);
  });

  it('trims resolution details, empty as none, and refuses very long ones', () => {
    expect(checkResolutionDetails('  Replaced toner ')).toBe('Replaced toner');
    expect(checkResolutionDetails('   ')).toBeNull();
    expect(() => checkResolutionDetails('x'.repeat(10_001))).toThrow(TicketRuleError);
  });
});

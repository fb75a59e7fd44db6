import {
  dlqSubjectFor,
  domainOf,
  durableNameFor,
  streamNameFor,
  streamSubjectFor,
  subjectFor,
  subjectMatches,
} from './subjects';

describe('subjects and stream names', () => {
  it('uses the bare names without a prefix', () => {
    expect(subjectFor('helpdesk.ticket.created')).toBe('helpdesk.ticket.created');
    expect(subjectFor('helpdesk.ticket.created', '')).toBe('helpdesk.ticket.created');
    expect(streamNameFor('ticket')).toBe('HELPDESK_TICKET');
    expect(streamSubjectFor('ticket')).toBe('helpdesk.ticket.>');
    expect(dlqSubjectFor('sla')).toBe('helpdesk.dlq.sla');
  });

  it('prefixes subjects with "<prefix>." and streams with "<prefix>_"', () => {
    expect(subjectFor('helpdesk.ticket.status_changed', 't1a2')).toBe('t1a2.helpdesk.ticket.status_changed');
    expect(streamNameFor('mail_ingest', 't1a2')).toBe('t1a2_HELPDESK_MAIL_INGEST');
    expect(streamSubjectFor('sla', 't1a2')).toBe('t1a2.helpdesk.sla.>');
    expect(dlqSubjectFor('ticket', 't1a2')).toBe('t1a2.helpdesk.dlq.ticket');
  });

  it('rejects prefixes, types and domains that would break subjects or stream names', () => {
    expect(() => subjectFor('helpdesk.ticket.created', 'a.b')).toThrow(/prefix/);
    expect(() => streamNameFor('ticket', 'a b')).toThrow(/prefix/);
    expect(() => subjectFor('ticket.created')).toThrow(/event type/);
    expect(() => subjectFor('helpdesk.ticket')).toThrow(/event type/);
    expect(() => subjectFor('helpdesk.ticket.*')).toThrow(/event type/);
    expect(() => streamNameFor('Ticket')).toThrow(/domain/);
  });

  it('finds the domain of a type or subject filter', () => {
    expect(domainOf('helpdesk.ticket.created')).toBe('ticket');
    expect(domainOf('helpdesk.sla.>')).toBe('sla');
    expect(() => domainOf('other.ticket.created')).toThrow();
  });

  it('names durables <consumer>--<purpose>', () => {
    expect(durableNameFor('ticket', 'sla-clock')).toBe('ticket--sla-clock');
    expect(() => durableNameFor('ticket', 'sla--clock')).toThrow();
    expect(() => durableNameFor('tick.et', 'x')).toThrow();
  });

  it('matches NATS wildcards like the server', () => {
    expect(subjectMatches('helpdesk.ticket.>', 'helpdesk.ticket.created')).toBe(true);
    expect(subjectMatches('helpdesk.ticket.>', 'helpdesk.ticket')).toBe(false);
    expect(subjectMatches('helpdesk.*.created', 'helpdesk.ticket.created')).toBe(true);
    expect(subjectMatches('helpdesk.*.created', 'helpdesk.ticket.updated')).toBe(false);
    expect(subjectMatches('helpdesk.ticket.created', 'helpdesk.ticket.created.x')).toBe(false);
    expect(subjectMatches('p.helpdesk.ticket.created', 'p.helpdesk.ticket.created')).toBe(true);
  });
});

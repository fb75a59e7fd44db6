import { composeAgentMail, ticketLink } from './notification-mail';

const line = (title: string, body = '') => ({ title, body, actorName: 'Bob', createdAt: new Date() });

describe('agent notification mail', () => {
  it('is one notification’s title for one, a count for a burst, with every line and the ticket link', () => {
    const one = composeAgentMail({
      userName: 'Anna',
      ticketId: 't1',
      ticketNumber: 1042,
      lines: [line('#1042 assigned to you by Bob', 'Printer offline')],
      appBaseUrl: 'https://help.example/',
    });
    expect(one.subject).toBe('#1042 assigned to you by Bob');
    expect(one.bodyText).toContain('Hello Anna,');
    expect(one.bodyText).toContain('  Printer offline');
    expect(one.bodyText).toContain('Open the ticket: https://help.example/tickets/t1');

    const burst = composeAgentMail({
      userName: 'Anna',
      ticketId: 't1',
      ticketNumber: 1042,
      lines: [line('first'), line('second'), line('third')],
      appBaseUrl: 'https://help.example',
    });
    expect(burst.subject).toBe('#1042: 3 updates');
    expect(burst.bodyText.indexOf('- first')).toBeLessThan(burst.bodyText.indexOf('- third'));
  });

  it('has no link without a ticket, and refuses an empty batch', () => {
    const mail = composeAgentMail({
      userName: '',
      ticketId: null,
      ticketNumber: null,
      lines: [line('x'), line('y')],
      appBaseUrl: 'http://h',
    });
    expect(mail.subject).toBe('2 notifications');
    expect(mail.bodyText).not.toContain('Open the ticket');
    expect(() =>
      composeAgentMail({
        userName: '',
        ticketId: null,
        ticketNumber: null,
        lines: [],
        appBaseUrl: 'http://h',
      }),
    ).toThrow();
    expect(ticketLink('http://h//', 'a b')).toBe('http://h/tickets/a%20b');
  });
});

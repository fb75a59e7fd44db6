import { DEFAULT_SLA_PAUSE_STATUSES, isOpenStatus, pausesSla, TICKET_STATUSES } from './ticket-status';

describe('isOpenStatus', () => {
  it.each([
    ['open', true],
    ['in_progress', true],
    ['waiting_on_customer', true],
    ['waiting_on_third_party', true],
    ['resolved', false],
    ['closed', false],
  ] as const)('%s → %s', (status, expected) => {
    expect(isOpenStatus(status)).toBe(expected);
  });
});

describe('pausesSla', () => {
  it('pauses in the two waiting statuses by default (SPEC §4)', () => {
    expect(TICKET_STATUSES.filter((s) => pausesSla(s))).toEqual([
      'waiting_on_customer',
      'waiting_on_third_party',
    ]);
    expect(DEFAULT_SLA_PAUSE_STATUSES).toEqual(['waiting_on_customer', 'waiting_on_third_party']);
  });

  it("follows the policy's own list", () => {
    expect(pausesSla('waiting_on_customer', ['waiting_on_third_party'])).toBe(false);
    expect(pausesSla('waiting_on_third_party', ['waiting_on_third_party'])).toBe(true);
    expect(pausesSla('in_progress', ['in_progress'])).toBe(true);
    expect(TICKET_STATUSES.some((s) => pausesSla(s, []))).toBe(false);
  });

  it('never reports a resolved or closed ticket as paused, even if a policy lists it', () => {
    expect(pausesSla('resolved', ['resolved', 'closed'])).toBe(false);
    expect(pausesSla('closed', ['resolved', 'closed'])).toBe(false);
  });
});

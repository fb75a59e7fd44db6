import { countdown, formatTime, localDay, span } from './time';

describe('due times', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');

  it('count down, then count the time overdue', () => {
    expect(countdown('2026-12-03T14:05:00Z', now)).toEqual({ text: 'due in 2 h 5 min', overdue: false });
    expect(countdown('2026-12-03T11:48:00Z', now)).toEqual({ text: 'overdue by 12 min', overdue: true });
    expect(countdown('2026-12-06T16:00:00Z', now).text).toBe('due in 3 d 4 h');
    expect(countdown('2026-12-03T12:00:30Z', now).text).toBe('due in < 1 min');
  });

  it('spell spans without zero parts', () => {
    expect(span(2 * 3600_000)).toBe('2 h');
    expect(span(86_400_000)).toBe('1 d');
    expect(span(59_000)).toBe('< 1 min');
  });

  it('show instants in the zone of the browser, and nothing as a dash', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime('2026-12-03T12:00:00Z', 'en-GB')).toMatch(/3 Dec 2026/);
  });
});

describe('a local day', () => {
  it('is the calendar day where the browser is, not the UTC one', () => {
    // half past midnight local time is the day before in UTC for any zone east of Greenwich
    expect(localDay(new Date(2026, 11, 5, 0, 30))).toBe('2026-12-05');
    expect(localDay(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
  });
});

import { triggerSchema } from './rule';
import { nextOccurrence, occurrencesAfter, primaryContactOf, rruleProblem, scheduleAnchor } from './schedule';

const at = (iso: string) => new Date(iso);

describe('schedule occurrences (RFC 5545 in a zone)', () => {
  it('anchors at midnight of the day saved, in the zone', () => {
    expect(scheduleAnchor(at('2027-03-20T23:30:00Z'), 'Europe/Berlin')).toEqual(at('2027-03-20T23:00:00Z'));
    expect(scheduleAnchor(at('2027-03-20T23:30:00Z'), 'UTC')).toEqual(at('2027-03-20T00:00:00Z'));
  });

  it('keeps the wall-clock hour across a DST change, minutes and seconds 0', () => {
    const anchor = scheduleAnchor(at('2027-03-26T10:37:12Z'), 'Europe/Berlin');
    expect(
      occurrencesAfter('FREQ=DAILY;BYHOUR=9', 'Europe/Berlin', anchor, at('2027-03-27T10:00:00Z'), 3),
    ).toEqual([at('2027-03-28T07:00:00Z'), at('2027-03-29T07:00:00Z'), at('2027-03-30T07:00:00Z')]);
    expect(
      occurrencesAfter('FREQ=DAILY;BYHOUR=9', 'Europe/Berlin', anchor, at('2027-03-26T10:37:12Z'), 1),
    ).toEqual([at('2027-03-27T08:00:00Z')]);
  });

  it('answers the first of the month at 9 in Berlin, strictly after the instant given', () => {
    const rrule = 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9';
    const anchor = scheduleAnchor(at('2027-01-15T12:00:00Z'), 'Europe/Berlin');
    expect(nextOccurrence(rrule, 'Europe/Berlin', anchor, at('2027-01-15T12:00:00Z'))).toEqual(
      at('2027-02-01T08:00:00Z'),
    );
    expect(nextOccurrence(rrule, 'Europe/Berlin', anchor, at('2027-02-01T08:00:00Z'))).toEqual(
      at('2027-03-01T08:00:00Z'),
    );
    expect(
      nextOccurrence(`RRULE:${rrule.toLowerCase()}`, 'Europe/Berlin', anchor, at('2027-03-31T12:00:00Z')),
    ).toEqual(at('2027-04-01T07:00:00Z'));
  });

  it('ends with COUNT and UNTIL', () => {
    const anchor = at('2027-01-01T00:00:00Z');
    expect(occurrencesAfter('FREQ=DAILY;COUNT=2', 'UTC', anchor, anchor, 5)).toEqual([
      at('2027-01-02T00:00:00Z'),
    ]);
    expect(
      nextOccurrence('FREQ=DAILY;UNTIL=20270103T000000Z', 'UTC', anchor, at('2027-01-03T00:00:00Z')),
    ).toBeNull();
  });

  it('refuses parts out of range and rules the library cannot expand, with a reason', () => {
    expect(rruleProblem('FREQ=DAILY;BYHOUR=9')).toBeNull();
    expect(rruleProblem('FREQ=DAILY;BYHOUR=25')).toMatch(/BYHOUR/);
    expect(rruleProblem('FREQ=MONTHLY;BYMONTHDAY=0')).toMatch(/BYMONTHDAY/);
    expect(rruleProblem('FREQ=WEEKLY;BYDAY=XX')).not.toBeNull();
    const parsed = triggerSchema.safeParse({ type: 'schedule', rrule: 'FREQ=DAILY;BYMINUTE=75' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['rrule'] });
  });
});

describe("a client's primary contact", () => {
  it('is the longest-standing one whose mail does not bounce, else the longest-standing one', () => {
    const old = { id: 'b', createdAt: at('2020-01-01T00:00:00Z'), emailBouncing: true };
    const mid = { id: 'c', createdAt: at('2021-01-01T00:00:00Z'), emailBouncing: false };
    const young = { id: 'a', createdAt: at('2022-01-01T00:00:00Z'), emailBouncing: false };
    expect(primaryContactOf([young, old, mid])).toBe('c');
    expect(primaryContactOf([old])).toBe('b');
    expect(primaryContactOf([])).toBeNull();
  });
});

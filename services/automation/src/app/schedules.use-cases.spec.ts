import type { Rule } from '../domain/rule';
import { sameRecurrence } from '../domain/schedule';
import type { ScheduleState } from './ports';
import { reschedule, scheduleStateOf, upcoming } from './schedules.use-cases';

const at = (iso: string) => new Date(iso);

function scheduleRule(rrule: string, over: Partial<Rule> = {}, timezone = 'Europe/Berlin'): Rule {
  return {
    id: 'r1',
    tenantId: 't1',
    name: 'weekly check',
    position: 0,
    active: true,
    stopProcessing: false,
    trigger: { type: 'schedule', rrule, timezone },
    conditions: { all: [], any: [] },
    actions: [{ type: 'create_ticket', title: 'Check', clientId: 'c1' }],
    version: 1,
    createdAt: at('2027-03-27T10:00:00Z'),
    updatedAt: at('2027-03-27T10:00:00Z'),
    stats: { fired: 0, skipped: 0, lastFiredAt: null },
    ...over,
  };
}

// saved on Saturday 27 March 2027: a weekly rule without BYDAY runs on Saturdays (its DTSTART's weekday)
const WEEKLY = 'FREQ=WEEKLY;BYHOUR=9';
const saved = scheduleStateOf(scheduleRule(WEEKLY), null, at('2027-03-27T10:00:00Z'))!;

describe('a schedule saved again (docs/adr/0053)', () => {
  it('starts on the day first saved, in the rule zone', () => {
    expect(saved).toEqual({
      rrule: WEEKLY,
      timezone: 'Europe/Berlin',
      anchorAt: at('2027-03-26T23:00:00Z'),
      nextAt: at('2027-04-03T07:00:00Z'),
      lastOccurrenceAt: null,
    });
  });

  it('keeps DTSTART and the next occurrence when the recurrence is the same, however written', () => {
    const monday = at('2027-03-29T12:00:00Z');
    for (const rrule of [WEEKLY, 'rrule:byhour=9;freq=weekly'])
      expect(reschedule(scheduleRule(rrule, { name: 'renamed' }), null, monday)(saved)).toEqual({
        ...saved,
        rrule,
      });
    // anchored afresh on Monday it would have moved to Mondays
    expect(scheduleStateOf(scheduleRule(WEEKLY), null, monday)!.nextAt).toEqual(at('2027-04-05T07:00:00Z'));
  });

  it('keeps an occurrence that is due but not fired yet', () => {
    const due: ScheduleState = { ...saved, nextAt: at('2027-04-03T07:00:00Z') };
    expect(reschedule(scheduleRule(WEEKLY), null, at('2027-04-03T07:05:00Z'))(due)!.nextAt).toEqual(
      at('2027-04-03T07:00:00Z'),
    );
  });

  it('re-anchors a changed RRULE or zone at the save, never at or before the last occurrence fired', () => {
    const fired: ScheduleState = {
      ...saved,
      nextAt: at('2027-04-10T07:00:00Z'),
      lastOccurrenceAt: at('2027-04-03T07:00:00Z'),
    };
    const daily = reschedule(scheduleRule('FREQ=DAILY;BYHOUR=9'), null, at('2027-04-03T08:00:00Z'))(fired)!;
    expect(daily).toEqual({
      rrule: 'FREQ=DAILY;BYHOUR=9',
      timezone: 'Europe/Berlin',
      anchorAt: at('2027-04-02T22:00:00Z'),
      nextAt: at('2027-04-04T07:00:00Z'),
      lastOccurrenceAt: at('2027-04-03T07:00:00Z'),
    });
    // a replica whose clock is behind the one that fired the 9:00 occurrence: not that one again
    const behind = reschedule(scheduleRule('FREQ=DAILY;BYHOUR=9'), null, at('2027-04-03T06:59:59Z'))(fired)!;
    expect(behind.nextAt).toEqual(at('2027-04-04T07:00:00Z'));
    // 9:00 in London is a new instant, an hour after Berlin's: the new rule's own occurrence
    const london = reschedule(
      scheduleRule(WEEKLY, {}, 'Europe/London'),
      null,
      at('2027-04-03T07:30:00Z'),
    )(fired)!;
    expect(london).toMatchObject({ timezone: 'Europe/London', nextAt: at('2027-04-03T08:00:00Z') });
  });

  it('has no next occurrence while off, and takes the next one after now when switched on again', () => {
    const off = reschedule(scheduleRule(WEEKLY, { active: false }), null, at('2027-03-28T10:00:00Z'))(saved)!;
    expect(off).toEqual({ ...saved, nextAt: null });
    const on = reschedule(scheduleRule(WEEKLY), null, at('2027-04-05T10:00:00Z'))(off)!;
    expect(on).toEqual({ ...saved, nextAt: at('2027-04-10T07:00:00Z') });
  });

  it('follows the tenant zone only where the rule has none, and drops the schedule of a rule no longer one', () => {
    const follows = scheduleRule(WEEKLY, {
      trigger: { type: 'schedule', rrule: WEEKLY },
    });
    const stored = scheduleStateOf(follows, 'Europe/Berlin', at('2027-03-27T10:00:00Z'))!;
    expect(reschedule(follows, 'Europe/Berlin', at('2027-03-29T10:00:00Z'))(stored)).toEqual(stored);
    expect(reschedule(follows, 'Asia/Tokyo', at('2027-03-29T10:00:00Z'))(stored)).toMatchObject({
      timezone: 'Asia/Tokyo',
      anchorAt: at('2027-03-28T15:00:00Z'),
    });
    const event = scheduleRule(WEEKLY, { trigger: { type: 'event', events: ['ticket.created'] } });
    expect(reschedule(event, null, at('2027-03-29T10:00:00Z'))(stored)).toBeNull();
  });

  it('shows a saved rule its stored occurrences in a dry run', () => {
    expect(upcoming(scheduleRule(WEEKLY), null, at('2027-03-29T12:00:00Z'), 2, saved)).toEqual([
      at('2027-04-03T07:00:00Z'),
      at('2027-04-10T07:00:00Z'),
    ]);
  });

  it('compares RRULEs part by part', () => {
    expect(sameRecurrence('FREQ=DAILY;BYHOUR=9', 'RRULE:BYHOUR=9;FREQ=DAILY')).toBe(true);
    expect(sameRecurrence('FREQ=DAILY;BYHOUR=9', 'FREQ=DAILY;BYHOUR=10')).toBe(false);
  });
});

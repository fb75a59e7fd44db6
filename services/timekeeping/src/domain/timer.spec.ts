import fc from 'fast-check';
import { FLAG_TIMER_OVER_12H, stopTimer, timerFlag, type RunningTimer } from './timer';
import { addMinutes, LONG_TIMER_MINUTES, wholeMinutes } from './time-rules';

const startedAt = new Date('2026-03-10T08:00:00.000Z');
const timer: RunningTimer = {
  id: 't1',
  tenantId: 'tenant',
  userId: 'user',
  ticketId: 'ticket',
  startedAt,
  note: 'printer',
  billable: true,
  workType: 'remote',
};

describe('stopping a timer', () => {
  it('logs the minutes it ran, keeping what was chosen at start', () => {
    expect(stopTimer(timer, addMinutes(startedAt, 95))).toEqual({
      startedAt,
      endedAt: addMinutes(startedAt, 95),
      durationMinutes: 95,
      note: 'printer',
      workType: 'remote',
      billable: true,
      flagged: false,
      flagReason: null,
    });
  });

  it('takes the choices given at stop', () => {
    const stopped = stopTimer(timer, addMinutes(startedAt, 10), {
      note: 'done',
      billable: false,
      workType: null,
    });
    expect(stopped).toMatchObject({ note: 'done', billable: false, workType: null });
  });

  it('logs at least a minute for a timer stopped at once, and never a negative span', () => {
    expect(stopTimer(timer, new Date(startedAt.getTime() + 5_000)).durationMinutes).toBe(1);
    const early = stopTimer(timer, new Date(startedAt.getTime() - 60_000));
    expect(early.endedAt).toEqual(startedAt);
    expect(early.durationMinutes).toBe(1);
  });

  it('flags a timer that ran over 12 hours and logs it non-billable, whatever was chosen', () => {
    const at12h = addMinutes(startedAt, LONG_TIMER_MINUTES);
    expect(stopTimer(timer, at12h)).toMatchObject({ flagged: false, billable: true, durationMinutes: 720 });
    const over = stopTimer(timer, addMinutes(at12h, 1), { billable: true });
    expect(over).toMatchObject({
      flagged: true,
      flagReason: FLAG_TIMER_OVER_12H,
      billable: false,
      durationMinutes: 721,
    });
  });

  it('is flagged exactly when it ran more than 12 hours (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 * 24 * 3600_000 }), fc.boolean(), (ms, billable) => {
        const stopped = stopTimer({ ...timer, billable }, new Date(startedAt.getTime() + ms));
        const over = ms > LONG_TIMER_MINUTES * 60_000;
        expect(stopped.flagged).toBe(over);
        expect(timerFlag(startedAt, stopped.endedAt).flagged).toBe(over);
        expect(stopped.billable).toBe(billable && !over);
        expect(stopped.durationMinutes).toBe(Math.max(1, wholeMinutes(ms)));
      }),
    );
  });
});

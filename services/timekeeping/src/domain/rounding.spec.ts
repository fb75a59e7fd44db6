import fc from 'fast-check';
import {
  checkRoundingRule,
  MAX_ROUNDING_MINUTES,
  NO_ROUNDING,
  roundMinutes,
  ROUNDING_MODES,
  type RoundingRule,
} from './rounding';
import { TimeRuleError } from './time-rules';

const rule = (minutes: number, mode: RoundingRule['mode'] = 'up'): RoundingRule => ({ minutes, mode });

describe('billable rounding', () => {
  it('rounds each entry to the increment in the chosen direction', () => {
    expect([1, 14, 15, 16, 31].map((m) => roundMinutes(m, rule(15, 'up')))).toEqual([15, 15, 15, 30, 45]);
    expect([1, 14, 15, 16, 31].map((m) => roundMinutes(m, rule(15, 'down')))).toEqual([0, 0, 15, 15, 30]);
    // half an increment rounds up; odd increments have no exact half
    expect([7, 8, 22, 23].map((m) => roundMinutes(m, rule(15, 'nearest')))).toEqual([0, 15, 15, 30]);
    expect([2, 3].map((m) => roundMinutes(m, rule(5, 'nearest')))).toEqual([0, 5]);
  });

  it('leaves minutes alone without rounding', () => {
    expect(roundMinutes(37, NO_ROUNDING)).toBe(37);
    expect(roundMinutes(37, rule(1, 'down'))).toBe(37);
  });

  const minutes = fc.integer({ min: 0, max: 100_000 });
  const step = fc.integer({ min: 2, max: MAX_ROUNDING_MINUTES });

  it('answers a multiple of the increment within one increment of the minutes (property)', () => {
    fc.assert(
      fc.property(minutes, step, fc.constantFrom(...ROUNDING_MODES), (m, s, mode) => {
        const r = roundMinutes(m, rule(s, mode));
        expect(r % s).toBe(0);
        expect(Math.abs(r - m)).toBeLessThan(s);
        if (mode === 'up') expect(r).toBeGreaterThanOrEqual(m);
        if (mode === 'down') expect(r).toBeLessThanOrEqual(m);
        if (mode === 'nearest') expect(Math.abs(r - m)).toBeLessThanOrEqual(s / 2);
      }),
    );
  });

  it('is idempotent and keeps the order of the minutes (property)', () => {
    fc.assert(
      fc.property(minutes, minutes, step, fc.constantFrom(...ROUNDING_MODES), (a, b, s, mode) => {
        const r = rule(s, mode);
        expect(roundMinutes(roundMinutes(a, r), r)).toBe(roundMinutes(a, r));
        if (a <= b) expect(roundMinutes(a, r)).toBeLessThanOrEqual(roundMinutes(b, r));
      }),
    );
  });

  it('accepts 0 to 240 minutes and the three modes only', () => {
    expect(checkRoundingRule(rule(15, 'nearest'))).toEqual(rule(15, 'nearest'));
    expect(() => checkRoundingRule(rule(-1))).toThrow(TimeRuleError);
    expect(() => checkRoundingRule(rule(241))).toThrow(/0 \(no rounding\) to 240/);
    expect(() => checkRoundingRule(rule(7.5))).toThrow(TimeRuleError);
    expect(() => checkRoundingRule({ minutes: 15, mode: 'sideways' as RoundingRule['mode'] })).toThrow(
      /roundingMode/,
    );
  });
});

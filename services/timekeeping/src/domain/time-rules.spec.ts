import fc from 'fast-check';
import {
  addMinutes,
  MAX_ENTRY_MINUTES,
  normalizeNote,
  normalizeWorkType,
  resolveSpan,
  TimeRuleError,
  wholeMinutes,
} from './time-rules';

const now = new Date('2026-03-10T12:00:00.000Z');
const at = (iso: string) => new Date(iso);

function ruleError(fn: () => unknown): TimeRuleError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TimeRuleError) return err;
    throw err;
  }
  throw new Error('expected a TimeRuleError');
}

describe('resolveSpan', () => {
  it('takes start and end and counts the whole minutes between them', () => {
    expect(
      resolveSpan({ startedAt: at('2026-03-10T08:00:00Z'), endedAt: at('2026-03-10T09:30:00Z') }, now),
    ).toEqual({
      startedAt: at('2026-03-10T08:00:00Z'),
      endedAt: at('2026-03-10T09:30:00Z'),
      durationMinutes: 90,
    });
    // seconds round to the nearest minute
    expect(
      resolveSpan({ startedAt: at('2026-03-10T08:00:00Z'), endedAt: at('2026-03-10T08:10:31Z') }, now)
        .durationMinutes,
    ).toBe(11);
  });

  it('derives the missing end or start from a duration, or ends a bare duration now', () => {
    expect(resolveSpan({ startedAt: at('2026-03-10T08:00:00Z'), durationMinutes: 45 }, now).endedAt).toEqual(
      at('2026-03-10T08:45:00Z'),
    );
    expect(resolveSpan({ endedAt: at('2026-03-10T08:00:00Z'), durationMinutes: 45 }, now).startedAt).toEqual(
      at('2026-03-10T07:15:00Z'),
    );
    expect(resolveSpan({ durationMinutes: 30 }, now)).toEqual({
      startedAt: at('2026-03-10T11:30:00Z'),
      endedAt: now,
      durationMinutes: 30,
    });
  });

  it('accepts all three when they agree and names the field when they do not', () => {
    const span = { startedAt: at('2026-03-10T08:00:00Z'), endedAt: at('2026-03-10T09:00:00Z') };
    expect(resolveSpan({ ...span, durationMinutes: 60 }, now).durationMinutes).toBe(60);
    expect(ruleError(() => resolveSpan({ ...span, durationMinutes: 61 }, now)).field).toBe('durationMinutes');
  });

  it.each([
    [
      'an end before the start',
      { startedAt: at('2026-03-10T09:00:00Z'), endedAt: at('2026-03-10T08:00:00Z') },
      'endedAt',
      /after startedAt/,
    ],
    [
      'an end equal to the start',
      { startedAt: at('2026-03-10T09:00:00Z'), endedAt: at('2026-03-10T09:00:00Z') },
      'endedAt',
      /after startedAt/,
    ],
    [
      'less than a minute',
      { startedAt: at('2026-03-10T09:00:00Z'), endedAt: at('2026-03-10T09:00:20Z') },
      'endedAt',
      /at least one minute/,
    ],
    ['a negative duration', { durationMinutes: -30 }, 'durationMinutes', /at least one minute/],
    ['a zero duration', { durationMinutes: 0 }, 'durationMinutes', /at least one minute/],
    ['a fractional duration', { durationMinutes: 1.5 }, 'durationMinutes', /whole number/],
    ['a duration over a day', { durationMinutes: MAX_ENTRY_MINUTES + 1 }, 'durationMinutes', /at most 1440/],
    [
      'a span over a day',
      { startedAt: at('2026-03-08T08:00:00Z'), endedAt: at('2026-03-09T08:01:00Z') },
      'endedAt',
      /at most 1440/,
    ],
    ['only a start', { startedAt: at('2026-03-10T08:00:00Z') }, 'endedAt', /give startedAt and endedAt/],
    ['nothing at all', {}, 'startedAt', /give startedAt and endedAt/],
    [
      'an end two days ahead',
      { startedAt: at('2026-03-12T08:00:00Z'), durationMinutes: 60 },
      'endedAt',
      /future/,
    ],
    [
      'a start before 2000',
      { startedAt: at('1999-12-31T23:00:00Z'), durationMinutes: 30 },
      'startedAt',
      /before 2000/,
    ],
  ])('refuses %s', (_what, input, field, message) => {
    const err = ruleError(() => resolveSpan(input, now));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('always answers a span whose duration is its whole minutes, 1 to 1440 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01'), max: now.getTime() }),
        fc.integer({ min: 1, max: MAX_ENTRY_MINUTES }),
        fc.constantFrom('start+end', 'start+duration', 'end+duration', 'duration'),
        (startMs, minutes, form) => {
          const startedAt = new Date(startMs);
          const endedAt = addMinutes(startedAt, minutes);
          const input =
            form === 'start+end'
              ? { startedAt, endedAt }
              : form === 'start+duration'
                ? { startedAt, durationMinutes: minutes }
                : form === 'end+duration'
                  ? { endedAt, durationMinutes: minutes }
                  : { durationMinutes: minutes };
          const span = resolveSpan(input, now);
          expect(span.durationMinutes).toBe(minutes);
          expect(wholeMinutes(span.endedAt.getTime() - span.startedAt.getTime())).toBe(minutes);
        },
      ),
    );
  });
});

describe('notes and work types', () => {
  it('trims, limits and empties to none', () => {
    expect(normalizeNote('  fixed the printer  ')).toBe('fixed the printer');
    expect(() => normalizeNote('x'.repeat(5001))).toThrow(TimeRuleError);
    expect(normalizeWorkType(' onsite ')).toBe('onsite');
    expect(normalizeWorkType('   ')).toBeNull();
    expect(normalizeWorkType(null)).toBeNull();
    expect(() => normalizeWorkType('x'.repeat(101))).toThrow(/workType/);
  });
});

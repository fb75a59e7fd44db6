// The rules of a span of work: how start, end and duration determine each other, and what is absurd.

/** A broken rule, naming the request field it is about; the use cases turn it into INVALID_ARGUMENT. */
export class TimeRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TimeRuleError';
  }
}

const MINUTE_MS = 60_000;

/** One entry covers at most a day; longer work is several entries. */
export const MAX_ENTRY_MINUTES = 24 * 60;
/**
 * A timer running longer than this is flagged for review instead of billed
 * (docs/product/time-tracking.md, issue 6).
 */
export const LONG_TIMER_MINUTES = 12 * 60;
/** An entry may end at most this far in the future (a clock a little ahead, a planned visit today). */
export const MAX_FUTURE_MINUTES = 24 * 60;
/** Nothing before this instant is a real entry of this product. */
export const EARLIEST_START = new Date('2000-01-01T00:00:00.000Z');
export const NOTE_MAX_LENGTH = 5_000;
export const WORK_TYPE_MAX_LENGTH = 100;

/** Whole minutes in a span of milliseconds, rounded to the nearest minute (half a minute rounds up). */
export function wholeMinutes(ms: number): number {
  return Math.round(ms / MINUTE_MS);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * MINUTE_MS);
}

export interface Span {
  startedAt: Date;
  endedAt: Date;
  durationMinutes: number;
}

export interface SpanInput {
  startedAt?: Date | undefined;
  endedAt?: Date | undefined;
  durationMinutes?: number | undefined;
}

/**
 * The span a manual entry describes: start and end, start and duration, end and duration, all three when they
 * agree, or a duration alone (ending now). Throws {@link TimeRuleError} for an end before the start, a
 * duration under one minute or over {@link MAX_ENTRY_MINUTES}, or an entry in the far future or past.
 */
export function resolveSpan(input: SpanInput, now: Date): Span {
  const { startedAt, endedAt, durationMinutes } = input;
  if (durationMinutes !== undefined) checkDuration(durationMinutes, 'durationMinutes');
  let span: Span;
  if (startedAt && endedAt) {
    if (endedAt.getTime() <= startedAt.getTime()) {
      throw new TimeRuleError('endedAt', 'endedAt must be after startedAt');
    }
    const minutes = wholeMinutes(endedAt.getTime() - startedAt.getTime());
    if (minutes < 1) throw new TimeRuleError('endedAt', 'an entry must last at least one minute');
    checkDuration(minutes, 'endedAt');
    if (durationMinutes !== undefined && durationMinutes !== minutes) {
      throw new TimeRuleError(
        'durationMinutes',
        `durationMinutes (${durationMinutes}) does not match startedAt and endedAt (${minutes} minutes)`,
      );
    }
    span = { startedAt, endedAt, durationMinutes: minutes };
  } else if (durationMinutes === undefined) {
    throw new TimeRuleError(
      startedAt ? 'endedAt' : 'startedAt',
      'give startedAt and endedAt, or durationMinutes (with startedAt or endedAt, or alone to end now)',
    );
  } else if (startedAt) {
    span = { startedAt, endedAt: addMinutes(startedAt, durationMinutes), durationMinutes };
  } else {
    const end = endedAt ?? now;
    span = { startedAt: addMinutes(end, -durationMinutes), endedAt: end, durationMinutes };
  }
  if (span.startedAt.getTime() < EARLIEST_START.getTime()) {
    throw new TimeRuleError('startedAt', `an entry cannot start before ${EARLIEST_START.toISOString()}`);
  }
  if (span.endedAt.getTime() > addMinutes(now, MAX_FUTURE_MINUTES).getTime()) {
    throw new TimeRuleError('endedAt', 'an entry cannot end more than a day in the future');
  }
  return span;
}

function checkDuration(minutes: number, field: string): void {
  if (!Number.isInteger(minutes)) throw new TimeRuleError(field, 'durationMinutes must be a whole number');
  if (minutes < 1) throw new TimeRuleError(field, 'an entry must last at least one minute');
  if (minutes > MAX_ENTRY_MINUTES) {
    throw new TimeRuleError(
      field,
      `an entry can last at most ${MAX_ENTRY_MINUTES} minutes (24 hours); log longer work as several entries`,
    );
  }
}

/** A note as stored: trimmed, at most {@link NOTE_MAX_LENGTH} characters. */
export function normalizeNote(note: string): string {
  const trimmed = note.trim();
  if (trimmed.length > NOTE_MAX_LENGTH) {
    throw new TimeRuleError('note', `note must be at most ${NOTE_MAX_LENGTH} characters`);
  }
  return trimmed;
}

/** A work type as stored: trimmed; empty means none. */
export function normalizeWorkType(workType: string | null): string | null {
  const trimmed = (workType ?? '').trim();
  if (trimmed.length > WORK_TYPE_MAX_LENGTH) {
    throw new TimeRuleError('workType', `workType must be at most ${WORK_TYPE_MAX_LENGTH} characters`);
  }
  return trimmed === '' ? null : trimmed;
}

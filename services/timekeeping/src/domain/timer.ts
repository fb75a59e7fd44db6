// A running timer and what stopping it logs. At most one runs per user (the store enforces it).
import { LONG_TIMER_MINUTES, wholeMinutes, type Span } from './time-rules';

export interface RunningTimer {
  id: string;
  tenantId: string;
  userId: string;
  ticketId: string;
  startedAt: Date;
  note: string;
  billable: boolean;
  workType: string | null;
}

/** Why a timer's entry needs review before it is billed. */
export const FLAG_TIMER_OVER_12H = 'timer_over_12h';

export interface Flag {
  flagged: boolean;
  reason: string | null;
}

const NOT_FLAGGED: Flag = { flagged: false, reason: null };

/** Minutes a timer has run by `now` (never negative, whatever the clocks of two replicas say). */
export function elapsedMinutes(startedAt: Date, now: Date): number {
  return Math.max(0, wholeMinutes(now.getTime() - startedAt.getTime()));
}

/** A timer that has run more than 12 hours was most likely forgotten: flagged, not silently billed. */
export function timerFlag(startedAt: Date, now: Date): Flag {
  return now.getTime() - startedAt.getTime() > LONG_TIMER_MINUTES * 60_000
    ? { flagged: true, reason: FLAG_TIMER_OVER_12H }
    : NOT_FLAGGED;
}

export interface StopChoices {
  note?: string | undefined;
  billable?: boolean | undefined;
  workType?: string | null | undefined;
}

export interface StoppedTimer extends Span {
  note: string;
  billable: boolean;
  workType: string | null;
  flagged: boolean;
  flagReason: string | null;
}

/**
 * The entry a timer becomes when it stops at `now`: at least one minute long (a timer started and stopped at
 * once still logs the minute), and non-billable and flagged when it ran over 12 hours, whatever was chosen.
 */
export function stopTimer(timer: RunningTimer, now: Date, choices: StopChoices = {}): StoppedTimer {
  const endedAt = now.getTime() < timer.startedAt.getTime() ? timer.startedAt : now;
  const flag = timerFlag(timer.startedAt, endedAt);
  const billable = choices.billable ?? timer.billable;
  return {
    startedAt: timer.startedAt,
    endedAt,
    durationMinutes: Math.max(1, elapsedMinutes(timer.startedAt, endedAt)),
    note: choices.note ?? timer.note,
    workType: choices.workType === undefined ? timer.workType : choices.workType,
    billable: flag.flagged ? false : billable,
    flagged: flag.flagged,
    flagReason: flag.reason,
  };
}

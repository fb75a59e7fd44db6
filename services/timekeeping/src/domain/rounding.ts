// The tenant's rounding of billable time, applied per entry in reports (e.g. each entry up to 15 minutes).
import { TimeRuleError } from './time-rules';

export const ROUNDING_MODES = ['up', 'nearest', 'down'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export interface RoundingRule {
  /** The increment in minutes; 0 for none. */
  minutes: number;
  mode: RoundingMode;
}

export const MAX_ROUNDING_MINUTES = 240;
export const NO_ROUNDING: RoundingRule = Object.freeze({ minutes: 0, mode: 'up' });

/** `minutes` rounded to a multiple of the rule's increment (half an increment rounds up in `nearest`). */
export function roundMinutes(minutes: number, rule: RoundingRule): number {
  const step = rule.minutes;
  if (step <= 1) return minutes;
  switch (rule.mode) {
    case 'up':
      return Math.ceil(minutes / step) * step;
    case 'down':
      return Math.floor(minutes / step) * step;
    case 'nearest':
      // integer arithmetic: no floating-point surprise at exactly half an increment
      return Math.floor((2 * minutes + step) / (2 * step)) * step;
  }
}

export function checkRoundingRule(rule: RoundingRule): RoundingRule {
  if (!Number.isInteger(rule.minutes) || rule.minutes < 0 || rule.minutes > MAX_ROUNDING_MINUTES) {
    throw new TimeRuleError(
      'roundingMinutes',
      `roundingMinutes must be a whole number from 0 (no rounding) to ${MAX_ROUNDING_MINUTES}`,
    );
  }
  if (!(ROUNDING_MODES as readonly string[]).includes(rule.mode)) {
    throw new TimeRuleError('roundingMode', `roundingMode must be one of ${ROUNDING_MODES.join(', ')}`);
  }
  return rule;
}

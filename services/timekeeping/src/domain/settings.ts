import { NO_ROUNDING, type RoundingRule } from './rounding';

/** A tenant's time settings; version 0 and no updatedAt while they are the defaults. */
export interface TimeSettings {
  tenantId: string;
  rounding: RoundingRule;
  version: number;
  updatedAt: Date | null;
}

export function defaultTimeSettings(tenantId: string): TimeSettings {
  return { tenantId, rounding: { ...NO_ROUNDING }, version: 0, updatedAt: null };
}

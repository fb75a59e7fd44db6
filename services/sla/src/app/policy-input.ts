// Validation of what an admin sets on a policy, and the check that its calendar is the tenant's.
import { invalidArgument } from '@helpdesk/platform';
import { policySettingsSchema, type PolicySettings } from '../domain';
import type { CalendarRepository } from './ports';
import { parseInput } from './support';

/** Checks every field (INVALID_ARGUMENT names each problem) and that a named calendar exists in the tenant. */
export async function parsePolicySettings(
  tenantId: string,
  input: unknown,
  calendars: CalendarRepository,
): Promise<PolicySettings> {
  const settings = parseInput(policySettingsSchema, input);
  if (settings.calendarId && !(await calendars.findById(tenantId, settings.calendarId))) {
    throw invalidArgument('calendarId: no such calendar', [
      { path: ['calendarId'], message: 'no such calendar' },
    ]);
  }
  return settings;
}

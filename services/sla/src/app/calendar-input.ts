// Validation of what an admin sets on a calendar: the `{name, timezone, hours, holidays}` of docs/product/sla.md.
import { z } from 'zod';
import { parseBusinessCalendar, type BusinessCalendar } from '../domain';
import { parseInput } from './support';

const nameSchema = z.object({ name: z.string().trim().min(1, 'must not be empty').max(200) });

export interface CalendarSettings extends BusinessCalendar {
  readonly name: string;
}

/** Checks the name and the calendar; INVALID_ARGUMENT names every problem. */
export function parseCalendarSettings(input: {
  name: string;
  timezone: string;
  hours: unknown;
  holidays: readonly string[];
}): CalendarSettings {
  const { name } = parseInput(nameSchema, { name: input.name });
  const calendar = parseBusinessCalendar({
    timezone: input.timezone,
    hours: input.hours,
    holidays: input.holidays,
  });
  return { name, ...calendar };
}

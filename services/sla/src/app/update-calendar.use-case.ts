import { checkVersion, notFound, patched, staleWrite } from '@helpdesk/platform';
import { parseCalendarSettings } from './calendar-input';
import type { CalendarDeps } from './create-calendar.use-case';
import type { CalendarRecord } from './ports';
import { requireUuidOrNotFound } from './support';

export interface UpdateCalendarCommand {
  tenantId: string;
  id: string;
  /** If-Match: fail with CONFLICT unless the calendar is still at this version. */
  expectedVersion?: number;
  name?: string;
  timezone?: string;
  /** Replaces the whole week. */
  hours?: unknown;
  /** Replaces the whole list. */
  holidays?: readonly string[];
}

/** Changes a calendar; the clocks of its policies use it from their tickets' next change. */
export class UpdateCalendarUseCase {
  constructor(private readonly deps: Omit<CalendarDeps, 'ids'>) {}

  async execute(command: UpdateCalendarCommand): Promise<CalendarRecord> {
    const id = requireUuidOrNotFound(command.id, 'calendar');
    const current = await this.deps.calendars.findById(command.tenantId, id);
    if (!current) throw notFound('calendar');
    checkVersion('calendar', command.expectedVersion, current.version);
    const settings = parseCalendarSettings({
      name: patched(command.name, current.name),
      timezone: patched(command.timezone, current.timezone),
      hours: patched(command.hours, current.hours),
      holidays: patched(command.holidays, current.holidays),
    });
    const updated: CalendarRecord = {
      ...current,
      ...settings,
      updatedAt: this.deps.clock.now(),
      version: current.version + 1,
    };
    if (!(await this.deps.calendars.update(updated, current.version))) throw staleWrite('calendar');
    return updated;
  }
}

import { parseCalendarSettings } from './calendar-input';
import type { CalendarRecord, CalendarRepository, IdGenerator, TimeSource } from './ports';

export interface CreateCalendarCommand {
  tenantId: string;
  name: string;
  timezone: string;
  hours: unknown;
  holidays: readonly string[];
}

export interface CalendarDeps {
  calendars: CalendarRepository;
  clock: TimeSource;
  ids: IdGenerator;
}

export class CreateCalendarUseCase {
  constructor(private readonly deps: CalendarDeps) {}

  async execute(command: CreateCalendarCommand): Promise<CalendarRecord> {
    const settings = parseCalendarSettings(command);
    const now = this.deps.clock.now();
    const calendar: CalendarRecord = {
      ...settings,
      id: this.deps.ids.newId(),
      tenantId: command.tenantId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.calendars.insert(calendar);
    return calendar;
  }
}

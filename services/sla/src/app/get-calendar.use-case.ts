import { notFound } from '@helpdesk/platform';
import type { CalendarRecord, CalendarRepository } from './ports';
import { requireUuidOrNotFound } from './support';

export class GetCalendarUseCase {
  constructor(private readonly calendars: CalendarRepository) {}

  async execute(input: { tenantId: string; id: string }): Promise<CalendarRecord> {
    const found = await this.calendars.findById(input.tenantId, requireUuidOrNotFound(input.id, 'calendar'));
    if (!found) throw notFound('calendar');
    return found;
  }
}

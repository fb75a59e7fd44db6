import { invalidArgument } from '@helpdesk/platform';
import { addBusinessMinutes } from '../domain';
import type { GetCalendarUseCase } from './get-calendar.use-case';

/** `GET /calendars/:id/due`: the instant that many business minutes after `from`. */
export class ComputeDueUseCase {
  constructor(private readonly getCalendar: GetCalendarUseCase) {}

  async execute(input: { tenantId: string; calendarId: string; from: Date; minutes: number }): Promise<Date> {
    if (!Number.isInteger(input.minutes) || input.minutes < 0) {
      throw invalidArgument('minutes must be a whole number of minutes, 0 or more', [
        { path: ['minutes'], message: 'must be a non-negative integer' },
      ]);
    }
    const calendar = await this.getCalendar.execute({ tenantId: input.tenantId, id: input.calendarId });
    return addBusinessMinutes(calendar, input.from, input.minutes);
  }
}

import type { CalendarRecord, CalendarRepository } from './ports';
import { pageArgs, toPage } from './support';

export class ListCalendarsUseCase {
  constructor(private readonly calendars: CalendarRepository) {}

  async execute(input: {
    tenantId: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: CalendarRecord[]; nextCursor: string | null }> {
    const { limit, after } = pageArgs(input.limit, input.cursor);
    // one extra row tells whether another page exists without a count query
    const rows = await this.calendars.list({ tenantId: input.tenantId, limit: limit + 1, after });
    return toPage(rows, limit);
  }
}

import { encodeKeysetCursor, invalidArgument } from '@helpdesk/platform';
import type { EntryView } from '../domain/entry';
import type { EntryFilters, TimeReader } from './ports';
import { pageArgs } from './support';

export interface ListEntriesInput extends EntryFilters {
  tenantId: string;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface EntryPage {
  items: EntryView[];
  /** null on the last page */
  nextCursor: string | null;
}

/** A page of the tenant's entries, newest first, filtered by ticket, client, user, period and billable. */
export class ListEntriesUseCase {
  constructor(private readonly reader: TimeReader) {}

  async execute(input: ListEntriesInput): Promise<EntryPage> {
    checkPeriod(input.from, input.to);
    const { limit, after } = pageArgs(input.limit, input.cursor);
    // one extra row tells whether another page exists without a count query
    const rows = await this.reader.listEntries({ ...input, limit: limit + 1, after });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor({ at: last.startedAt, id: last.id }) : null;
    return { items, nextCursor };
  }
}

/** `from` is inclusive and `to` exclusive, so `to` must come after `from`. */
export function checkPeriod(from: Date | undefined, to: Date | undefined): void {
  if (from && to && to.getTime() <= from.getTime()) {
    throw invalidArgument('to must be after from', [{ path: ['to'], message: 'must be after from' }]);
  }
}

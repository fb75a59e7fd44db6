import { notFound } from '@helpdesk/platform';
import type { EntryView } from '../domain/entry';
import type { TimeReader } from './ports';
import { requireUuidOrNotFound } from './support';

export class GetEntryUseCase {
  constructor(private readonly reader: TimeReader) {}

  async execute(query: { tenantId: string; id: string }): Promise<EntryView> {
    const entry = await this.reader.findEntry(query.tenantId, requireUuidOrNotFound(query.id, 'time entry'));
    // another tenant's entry answers exactly like a missing one
    if (!entry || entry.tenantId !== query.tenantId) throw notFound('time entry');
    return entry;
  }
}

import { encodeNameCursor, normalizeEmail, type Contact } from '../domain/directory';
import { pageArgs, ruled, toPage } from './directory-support';
import type { DirectoryReader } from './ports';

export interface ListContactsInput {
  tenantId: string;
  limit?: number;
  cursor?: string;
  clientId?: string;
  email?: string;
  /** Name or e-mail contains, case-insensitive. */
  q?: string;
}

export class ListContactsUseCase {
  constructor(private readonly directory: DirectoryReader) {}

  async execute(input: ListContactsInput): Promise<{ items: Contact[]; nextCursor: string | null }> {
    const { limit, after } = pageArgs(input.limit, input.cursor);
    // stored addresses are normalized, so the filter is too (Jane@X.example finds jane@x.example)
    const email = input.email ? ruled(() => normalizeEmail(input.email!)) : undefined;
    const q = input.q?.trim();
    const rows = await this.directory.listContacts({
      tenantId: input.tenantId,
      limit: limit + 1,
      after,
      clientId: input.clientId?.toLowerCase() || undefined,
      email,
      text: q || undefined,
    });
    return toPage(rows, limit, encodeNameCursor);
  }
}

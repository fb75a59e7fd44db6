import { encodeNameCursor, type Client } from '../domain/directory';
import { pageArgs, toPage } from './directory-support';
import type { DirectoryReader } from './ports';

export interface ListClientsInput {
  tenantId: string;
  limit?: number;
  cursor?: string;
  /** Name contains, case-insensitive. */
  q?: string;
}

export class ListClientsUseCase {
  constructor(private readonly directory: DirectoryReader) {}

  async execute(input: ListClientsInput): Promise<{ items: Client[]; nextCursor: string | null }> {
    const { limit, after } = pageArgs(input.limit, input.cursor);
    const q = input.q?.trim();
    // one extra row tells whether another page exists without a count query
    const rows = await this.directory.listClients({
      tenantId: input.tenantId,
      limit: limit + 1,
      after,
      nameContains: q || undefined,
    });
    return toPage(rows, limit, encodeNameCursor);
  }
}

import type { Policy } from '../domain';
import type { PolicyRepository } from './ports';
import { pageArgs, toPage } from './support';

/** The tenant's policies in match order (oldest first). */
export class ListPoliciesUseCase {
  constructor(private readonly policies: PolicyRepository) {}

  async execute(input: {
    tenantId: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: Policy[]; nextCursor: string | null }> {
    const { limit, after } = pageArgs(input.limit, input.cursor);
    const rows = await this.policies.list({ tenantId: input.tenantId, limit: limit + 1, after });
    return toPage(rows, limit);
  }
}

import { notFound } from '@helpdesk/platform';
import type { Policy } from '../domain';
import type { PolicyRepository } from './ports';
import { requireUuidOrNotFound } from './support';

export class GetPolicyUseCase {
  constructor(private readonly policies: PolicyRepository) {}

  async execute(input: { tenantId: string; id: string }): Promise<Policy> {
    const found = await this.policies.findById(input.tenantId, requireUuidOrNotFound(input.id, 'SLA policy'));
    if (!found) throw notFound('SLA policy');
    return found;
  }
}

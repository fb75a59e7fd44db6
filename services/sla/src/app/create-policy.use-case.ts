import type { Policy } from '../domain';
import { parsePolicySettings } from './policy-input';
import type { CalendarRepository, IdGenerator, PolicyRepository, TimeSource } from './ports';

export interface CreatePolicyCommand {
  tenantId: string;
  name: string;
  calendarId: string | null;
  targets?: unknown;
  pauseStatuses: readonly string[];
  warnAtPercent: number;
  match: unknown;
  isDefault: boolean;
}

export interface PolicyDeps {
  policies: PolicyRepository;
  calendars: CalendarRepository;
  clock: TimeSource;
  ids: IdGenerator;
}

/** Creates a policy; a new default replaces the tenant's previous one. */
export class CreatePolicyUseCase {
  constructor(private readonly deps: PolicyDeps) {}

  async execute(command: CreatePolicyCommand): Promise<Policy> {
    const { tenantId, ...input } = command;
    const settings = await parsePolicySettings(tenantId, input, this.deps.calendars);
    const now = this.deps.clock.now();
    const policy: Policy = {
      ...settings,
      id: this.deps.ids.newId(),
      tenantId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.policies.insert(policy);
    return policy;
  }
}

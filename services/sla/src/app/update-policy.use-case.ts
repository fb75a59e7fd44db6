import { checkVersion, failedPrecondition, notFound, patched, staleWrite } from '@helpdesk/platform';
import { PRIORITIES, type Policy, type PolicyTargets, type Priority, type PriorityTarget } from '../domain';
import type { PolicyDeps } from './create-policy.use-case';
import { parsePolicySettings } from './policy-input';
import { requireUuidOrNotFound } from './support';

export type TargetsPatch = Partial<Record<Priority, Partial<PriorityTarget>>>;

export interface UpdatePolicyCommand {
  tenantId: string;
  id: string;
  /** If-Match: fail with CONFLICT unless the policy is still at this version. */
  expectedVersion?: number;
  name?: string;
  /** null: 24×7. */
  calendarId?: string | null;
  /** Changes only the priorities and fields given. */
  targets?: TargetsPatch;
  /** Replaces the whole list. */
  pauseStatuses?: readonly string[];
  warnAtPercent?: number;
  /** Replaces the whole match. */
  match?: unknown;
  isDefault?: boolean;
}

function mergeTargets(current: PolicyTargets, patch: TargetsPatch | undefined): PolicyTargets {
  if (!patch) return current;
  const merged = {} as Record<Priority, PriorityTarget>;
  for (const p of PRIORITIES) merged[p] = { ...current[p], ...stripUndefined(patch[p] ?? {}) };
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Changes a policy; tickets under it follow the change from their next event. */
export class UpdatePolicyUseCase {
  constructor(private readonly deps: Omit<PolicyDeps, 'ids'>) {}

  async execute(command: UpdatePolicyCommand): Promise<Policy> {
    const id = requireUuidOrNotFound(command.id, 'SLA policy');
    const current = await this.deps.policies.findById(command.tenantId, id);
    if (!current) throw notFound('SLA policy');
    checkVersion('SLA policy', command.expectedVersion, current.version);
    if (current.isDefault && command.isDefault === false) {
      throw failedPrecondition(
        'a tenant always has a default policy: make another policy the default instead',
        [{ path: ['isDefault'], message: 'cannot unset the default' }],
      );
    }
    const settings = await parsePolicySettings(
      command.tenantId,
      {
        name: patched(command.name, current.name),
        calendarId: patched(command.calendarId, current.calendarId),
        targets: mergeTargets(current.targets, command.targets),
        pauseStatuses: patched(command.pauseStatuses, current.pauseStatuses),
        warnAtPercent: patched(command.warnAtPercent, current.warnAtPercent),
        match: patched(command.match, current.match),
        isDefault: patched(command.isDefault, current.isDefault),
      },
      this.deps.calendars,
    );
    const updated: Policy = {
      ...current,
      ...settings,
      updatedAt: this.deps.clock.now(),
      version: current.version + 1,
    };
    if (!(await this.deps.policies.update(updated, current.version))) throw staleWrite('SLA policy');
    return updated;
  }
}

// Every ticket event needs its tenant's policies and calendars; they change rarely. This process keeps them per
// tenant and drops a tenant's entry when one of its policies or calendars changes: at once for writes made here,
// and through NOTIFY on POLICY_CHANNEL (sent by the writing transaction) for writes of other replicas. A TTL
// bounds what a lost notification could leave stale.
import type {
  CalendarRecord,
  CalendarRepository,
  ListQuery,
  PolicyRepository,
  TenantDefaultsWriter,
} from '../app/ports';
import type { Policy } from '../domain';
import type { PgListener } from '@helpdesk/runtime';

/** The NOTIFY channel on which a committed policy or calendar change names its tenant. */
export const POLICY_CHANNEL = 'sla_policies';

type Contexts = Awaited<ReturnType<PolicyRepository['contexts']>>;

const TTL_MS = 60_000;
const MAX_TENANTS = 10_000;

export class PolicyCache {
  private readonly entries = new Map<string, { at: number; value: Promise<Contexts> }>();

  constructor(listener: Pick<PgListener, 'subscribe'>) {
    listener.subscribe({
      channel: POLICY_CHANNEL,
      onNotify: (tenantId) => this.invalidate(tenantId),
      onReconnect: () => this.entries.clear(),
    });
  }

  get(tenantId: string, load: () => Promise<Contexts>): Promise<Contexts> {
    const hit = this.entries.get(tenantId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    // a failed read is not kept
    value.catch(() => this.entries.get(tenantId)?.value === value && this.entries.delete(tenantId));
    this.entries.delete(tenantId);
    this.entries.set(tenantId, { at: Date.now(), value });
    // the Map keeps insertion order: the first entry is the oldest
    if (this.entries.size > MAX_TENANTS) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}

/** Policies with `contexts` served from the cache; every write drops the tenant's entry. */
export class CachedPolicyRepository implements PolicyRepository, TenantDefaultsWriter {
  constructor(
    private readonly inner: PolicyRepository & TenantDefaultsWriter,
    private readonly cache: PolicyCache,
  ) {}

  findById(tenantId: string, id: string): Promise<Policy | null> {
    return this.inner.findById(tenantId, id);
  }

  list(query: ListQuery): Promise<Policy[]> {
    return this.inner.list(query);
  }

  contexts(tenantId: string): Promise<Contexts> {
    return this.cache.get(tenantId, () => this.inner.contexts(tenantId));
  }

  async insert(policy: Policy): Promise<void> {
    try {
      await this.inner.insert(policy);
    } finally {
      this.cache.invalidate(policy.tenantId);
    }
  }

  async update(policy: Policy, previousVersion: number): Promise<boolean> {
    try {
      return await this.inner.update(policy, previousVersion);
    } finally {
      this.cache.invalidate(policy.tenantId);
    }
  }

  async seed(tenant: { tenantId: string; timezone: string }, calendar: CalendarRecord, policy: Policy) {
    try {
      return await this.inner.seed(tenant, calendar, policy);
    } finally {
      this.cache.invalidate(tenant.tenantId);
    }
  }
}

/** Calendars whose changes drop the tenant's cached policies (the clocks read a policy's calendar from there). */
export class CacheInvalidatingCalendarRepository implements CalendarRepository {
  constructor(
    private readonly inner: CalendarRepository,
    private readonly cache: PolicyCache,
  ) {}

  findById(tenantId: string, id: string): Promise<CalendarRecord | null> {
    return this.inner.findById(tenantId, id);
  }

  list(query: ListQuery): Promise<CalendarRecord[]> {
    return this.inner.list(query);
  }

  insert(calendar: CalendarRecord): Promise<void> {
    return this.inner.insert(calendar);
  }

  async update(calendar: CalendarRecord, previousVersion: number): Promise<boolean> {
    try {
      return await this.inner.update(calendar, previousVersion);
    } finally {
      this.cache.invalidate(calendar.tenantId);
    }
  }
}

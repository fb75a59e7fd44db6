import {
  AggregatesBuilder,
  aggregateChange,
  compact,
  countedTicket,
  insertionDeltas,
  isEmpty,
  localDay,
  nextSla,
  ticketDeltas,
  ticketRow,
  usableZone,
  versionPoint,
  withBacklogTotals,
  type Aggregates,
  type BacklogDelta,
  type SlaFacts,
  type TenantZoneFacts,
  type TicketFacts,
  type VersionPoint,
} from '../domain';
import type { IntakeTransaction, StoredTenant } from './ports';

const REBUCKET_BATCH = 5_000;

/**
 * Keeps the read model from the events (docs/product/reports.md "How the numbers are kept"), inside the consumer's
 * inbox transaction, so an event counts once however often it comes. Every step depends only on which events were
 * applied, never on their order: the highest ticket version, the highest SLA sequence and the latest tenant event
 * win, and each ticket version takes its place in the backlog between its neighbours. Every change of a ticket's row
 * moves its contribution to the aggregates (what it counted for before is taken away, what it counts for now added)
 * in the same transaction, so the aggregates are always the sums over the rows.
 */
export class IntakeUseCase {
  /** The tickets of one ticket event (a merge carries two), all of one tenant. */
  async tickets(tx: IntakeTransaction, tenantId: string, tickets: readonly TicketFacts[]): Promise<void> {
    if (tickets.some((t) => t.tenantId !== tenantId)) throw new Error('tickets of another tenant');
    const tenant = await tx.shareTenant(tenantId);
    const zone = usableZone(tenant.timezone);
    const dayOf = (instant: Date) => localDay(instant, zone);
    const deltas: BacklogDelta[] = [];
    const counts = new AggregatesBuilder(dayOf);
    // in id order, like every writer locks tickets
    for (const ticket of [...tickets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const stored = await tx.lockTicket(tenantId, ticket.id);
      const point = versionPoint(ticket);
      const placed = await tx.insertVersion(tenantId, ticket.id, point);
      if (placed) deltas.push(...insertionDeltas(placed.previous, point, placed.next, dayOf));
      if (ticket.version > (stored.ticket?.version ?? 0)) {
        const row = ticketRow(ticket);
        await tx.saveTicket(row);
        counts.change(countedTicket(stored), countedTicket({ ...stored, ticket: row }));
      }
    }
    await tx.addBacklog(tenantId, withBacklogTotals(compact(deltas)));
    const change = counts.build();
    if (!isEmpty(change)) await tx.addAggregates(tenantId, change);
  }

  /** A ticket's SLA state from an SLA event. */
  async sla(tx: IntakeTransaction, facts: SlaFacts): Promise<void> {
    // the zone its days are counted in stays as it is until this event is applied
    const tenant = await tx.shareTenant(facts.tenantId);
    const stored = await tx.lockTicket(facts.tenantId, facts.ticketId);
    const sla = nextSla(stored.sla, facts);
    if (!sla) return;
    await tx.saveSla(facts.tenantId, facts.ticketId, sla);
    const zone = usableZone(tenant.timezone);
    const change = aggregateChange(countedTicket(stored), countedTicket({ ...stored, sla }), (instant) =>
      localDay(instant, zone),
    );
    if (!isEmpty(change)) await tx.addAggregates(facts.tenantId, change);
  }

  /**
   * A tenant's time zone from identity. A later zone than the stored one re-counts the tenant's days in it, so the
   * days are always those of the tenant's current zone, whatever order the events came in. Answers whether the
   * zone changed.
   */
  async tenantZone(tx: IntakeTransaction, facts: TenantZoneFacts): Promise<boolean> {
    const stored = await tx.lockTenant(facts.tenantId);
    if (!isNewer(facts, stored)) return false;
    await tx.saveTenantZone(facts);
    const zone = usableZone(facts.timezone);
    if (zone === usableZone(stored.timezone)) return false;
    await tx.replaceBacklog(facts.tenantId, withBacklogTotals(await this.recount(tx, facts.tenantId, zone)));
    await tx.replaceAggregates(facts.tenantId, await this.recountAggregates(tx, facts.tenantId, zone));
    return true;
  }

  /** The tenant's aggregates from its ticket rows, with the days of `zone`. */
  private async recountAggregates(
    tx: IntakeTransaction,
    tenantId: string,
    zone: string,
  ): Promise<Aggregates> {
    const all = new AggregatesBuilder((instant) => localDay(instant, zone));
    let after: string | null = null;
    for (;;) {
      const page = await tx.ticketsOf(tenantId, after, REBUCKET_BATCH);
      for (const row of page) all.add(countedTicket(row), 1);
      const last = page[page.length - 1];
      if (!last || page.length < REBUCKET_BATCH) break;
      after = last.id;
    }
    return all.build();
  }

  private async recount(tx: IntakeTransaction, tenantId: string, zone: string): Promise<BacklogDelta[]> {
    const dayOf = (instant: Date) => localDay(instant, zone);
    const sums = new Map<string, BacklogDelta>();
    const add = (deltas: readonly BacklogDelta[]) => {
      for (const d of deltas) {
        const key = `${d.clientId ?? ''}|${d.day}`;
        sums.set(key, { ...d, delta: (sums.get(key)?.delta ?? 0) + d.delta });
      }
    };
    let after: { ticketId: string; version: number } | null = null;
    let ticketId: string | null = null;
    let versions: VersionPoint[] = [];
    for (;;) {
      const page = await tx.versionsOf(tenantId, after, REBUCKET_BATCH);
      for (const v of page) {
        if (v.ticketId !== ticketId) {
          add(ticketDeltas(versions, dayOf));
          ticketId = v.ticketId;
          versions = [];
        }
        versions.push(v);
      }
      const last = page[page.length - 1];
      if (!last || page.length < REBUCKET_BATCH) break;
      after = { ticketId: last.ticketId, version: last.version };
    }
    add(ticketDeltas(versions, dayOf));
    return compact([...sums.values()]);
  }
}

function isNewer(facts: TenantZoneFacts, stored: StoredTenant): boolean {
  if (!stored.asOf) return true;
  const a = facts.occurredAt.getTime();
  const b = stored.asOf.getTime();
  return a > b || (a === b && facts.eventId > (stored.eventId ?? ''));
}

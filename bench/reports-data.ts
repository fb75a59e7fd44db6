// The tickets of bench/reports.ts: a year of an MSP's tickets in one tenant, each as the events the ticket and SLA
// services publish about it (created, moved to another client, first agent reply, resolved, reopened and resolved
// again, rated; the SLA clocks started, breached, met), in time order. Deterministic: ticket i is drawn from a
// generator seeded with i, so every run holds the same tickets (the ids aside).
import { randomUUID } from 'node:crypto';
import type { CatalogEnvelope } from '@helpdesk/bus';
import { commonV1, ticketV1, type EventData, type EventType } from '@helpdesk/contracts';
import { addDays, localDay, startOfDay } from '../services/reporting/src/domain';

export interface DataShape {
  tenantId: string;
  zone: string;
  /** Tickets are opened evenly over the `days` days before `end`. */
  tickets: number;
  days: number;
  end: Date;
  /** The tenant's clients, the biggest first (their tickets fall off like 1/rank). */
  clients: readonly string[];
  agents: readonly string[];
  teams: readonly string[];
}

/** One event as its producer publishes it, decoded (what a consumer's catalog handler gets). */
export interface BenchEvent {
  stream: 'ticket' | 'sla';
  event: CatalogEnvelope;
}

const MINUTE = 60_000;
const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
const PRIORITY_WEIGHTS = [0.05, 0.2, 0.45, 0.3];
// business minutes of the SLA targets per priority: first response, resolution
const TARGETS: Record<(typeof PRIORITIES)[number], [number, number]> = {
  critical: [30, 240],
  high: [60, 480],
  medium: [240, 1440],
  low: [480, 2880],
};

function generator(seed: number): () => number {
  let a = (seed * 2654435761) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const logNormal = (r: () => number, median: number, sigma: number) => median * Math.exp(sigma * normal(r));

function pick<T>(r: () => number, items: readonly T[], weights: readonly number[]): T {
  let u = r();
  for (let i = 0; i < items.length; i++) {
    u -= weights[i]!;
    if (u < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Cumulative 1/rank weights, for picking a client by binary search. */
function zipf(n: number): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / (i + 1);
  for (let i = 0; i < n; i++) cumulative[i]! /= sum;
  return cumulative;
}

function pickZipf(r: () => number, cumulative: Float64Array): number {
  const u = r();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The business hours of the bench's calendar: Monday to Friday, 08:00 to 18:00 in the tenant's zone. */
class BusinessHours {
  private readonly dayStarts = new Map<string, number>();

  constructor(private readonly zone: string) {}

  private start(day: string): number {
    let s = this.dayStarts.get(day);
    if (s === undefined) {
      s = startOfDay(day, this.zone).getTime();
      this.dayStarts.set(day, s);
    }
    return s;
  }

  private static weekday(day: string): boolean {
    const d = new Date(`${day}T00:00:00Z`).getUTCDay();
    return d >= 1 && d <= 5;
  }

  /** Whether `at` is inside business hours. */
  open(at: number): boolean {
    const day = localDay(new Date(at), this.zone);
    const hour = (at - this.start(day)) / 3_600_000;
    return BusinessHours.weekday(day) && hour >= 8 && hour < 18;
  }

  /** The next opening (08:00 of the next weekday) after `at`. */
  nextOpening(at: number): number {
    let day = localDay(new Date(at), this.zone);
    for (let i = 0; i < 8; i++) {
      const opening = this.start(day) + 8 * 3_600_000;
      if (BusinessHours.weekday(day) && opening > at) return opening;
      day = addDays(day, 1);
    }
    throw new Error('no business day within a week');
  }
}

type TicketChange = Partial<ticketV1.Ticket> & { at: number };
type SlaState = 'running' | 'paused' | 'met' | 'breached';

/** Business hours get this many times the tickets of an hour outside them. */
const BUSINESS_HOUR_WEIGHT = 4;

/**
 * Every ticket of the shape, each as its events in time order; only events before `end` happen. Ticket i opens at
 * fraction (i + jitter) / tickets of the period, with the period's hours weighted: most tickets come in business
 * hours, fewer at night and at weekends.
 */
export class BenchTickets {
  private readonly clientWeights: Float64Array;
  private readonly hours: BusinessHours;
  private readonly start: number;
  /** Cumulative weight at the end of each hour of the period, normalised to 1. */
  private readonly cumulative: Float64Array;

  constructor(readonly shape: DataShape) {
    this.clientWeights = zipf(shape.clients.length);
    this.hours = new BusinessHours(shape.zone);
    this.start = shape.end.getTime() - shape.days * 24 * 3_600_000;
    const hours = shape.days * 24;
    this.cumulative = new Float64Array(hours);
    let sum = 0;
    for (let h = 0; h < hours; h++) {
      const mid = this.start + (h + 0.5) * 3_600_000;
      this.cumulative[h] = sum += this.hours.open(mid) ? BUSINESS_HOUR_WEIGHT : 1;
    }
    for (let h = 0; h < hours; h++) this.cumulative[h]! /= sum;
  }

  /** The instant at fraction `f` (0 to 1) of the tickets: the weighted hours' inverse, linear within an hour. */
  private instantAt(f: number): number {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < f) lo = mid + 1;
      else hi = mid;
    }
    const before = lo === 0 ? 0 : this.cumulative[lo - 1]!;
    const within = (f - before) / (this.cumulative[lo]! - before);
    return this.start + (lo + Math.min(1, Math.max(0, within))) * 3_600_000;
  }

  /** The events of ticket `i` (0 is the oldest), ticket and SLA events each in time order. */
  events(i: number): BenchEvent[] {
    const { shape } = this;
    const r = generator(i + 1);
    const end = shape.end.getTime();
    const openedAt = Math.floor(this.instantAt((i + r()) / shape.tickets));
    const priority = pick(r, PRIORITIES, PRIORITY_WEIGHTS);
    const clientId = r() < 0.05 ? '' : shape.clients[pickZipf(r, this.clientWeights)]!;
    const [frTarget, resTarget] = TARGETS[priority];
    const ticket = ticketV1.Ticket.fromPartial({
      id: randomUUID(),
      tenantId: shape.tenantId,
      number: 1001 + i,
      title: `Printer on floor ${i % 7} is offline`,
      descriptionHtml: '<p>The printer says <b>PC LOAD LETTER</b> and prints nothing since this morning.</p>',
      descriptionText: 'The printer says PC LOAD LETTER and prints nothing since this morning.',
      status: 'open',
      priority,
      source: 'email',
      raisedBy: `user-${i % 5000}@customer.example`,
      createdBy: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' },
      openedAt: new Date(openedAt),
      updatedAt: new Date(openedAt),
      version: 1,
      type: 'Incident',
      category: 'Hardware',
      clientId,
      contactId: '',
      assigneeId: r() < 0.1 ? '' : shape.agents[Math.floor(r() * shape.agents.length)]!,
      teamId: shape.teams[Math.floor(r() * shape.teams.length)]!,
      tags: ['printer'],
    });

    // the ticket's changes, then its SLA's, each at the time it happens
    const changes: Array<{ type: EventType; change: TicketChange }> = [];
    const sla: Array<{ type: EventType; at: number; fr: SlaState; res: SlaState; business?: number }> = [];
    sla.push({ type: 'helpdesk.sla.updated', at: openedAt + 1_000, fr: 'running', res: 'running' });
    let fr = 'running' as SlaState;
    let res = 'running' as SlaState;
    if (clientId !== '' && r() < 0.03) {
      const other = shape.clients[pickZipf(r, this.clientWeights)]!;
      if (other !== clientId)
        changes.push({
          type: 'helpdesk.ticket.updated',
          change: { at: openedAt + 20 * MINUTE, clientId: other },
        });
    }
    // a reply within business hours, or on the next business morning
    const replied = r() < 0.92;
    const quick = logNormal(r, 20, 1.1);
    const inHours = this.hours.open(openedAt);
    const repliedAt = Math.round(
      (inHours ? openedAt : this.hours.nextOpening(openedAt)) + Math.max(1, quick) * MINUTE + r() * MINUTE,
    );
    const business = Math.floor(Math.max(1, quick));
    let last = openedAt;
    if (replied && repliedAt < end) {
      if (business > frTarget) {
        // breached at the due time, met afterwards stays breached
        const dueAt = repliedAt - (business - frTarget) * MINUTE;
        fr = 'breached';
        sla.push({ type: 'helpdesk.sla.breached', at: Math.max(openedAt + 2_000, dueAt), fr, res });
      } else fr = 'met';
      sla.push({
        type: fr === 'met' ? 'helpdesk.sla.met' : 'helpdesk.sla.updated',
        at: repliedAt + 500,
        fr,
        res,
        business,
      });
      changes.push({
        type: 'helpdesk.ticket.message_added',
        change: {
          at: repliedAt,
          status: r() < 0.5 ? 'waiting_on_customer' : 'in_progress',
          firstRespondedAt: new Date(repliedAt),
          lastAgentReplyAt: new Date(repliedAt),
        },
      });
      last = repliedAt;
    }
    const resolve = (after: number, median: number): number | null => {
      const at = Math.round(after + logNormal(r, median, 1.3) * MINUTE);
      if (at >= end) return null;
      const resBusiness = Math.floor((at - openedAt) / MINUTE / 3);
      if (res !== 'breached') {
        if (resBusiness > resTarget) {
          res = 'breached';
          sla.push({ type: 'helpdesk.sla.breached', at: Math.max(after + 1_000, at - MINUTE), fr, res });
        } else res = 'met';
      }
      // a ticket resolved without a reply has its first response met by the resolution
      if (fr === 'running') fr = 'met';
      sla.push({ type: res === 'met' ? 'helpdesk.sla.met' : 'helpdesk.sla.updated', at: at + 500, fr, res });
      changes.push({
        type: 'helpdesk.ticket.status_changed',
        change: { at, status: 'resolved', resolvedAt: new Date(at) },
      });
      return at;
    };
    let resolvedAt = replied && repliedAt >= end ? null : resolve(last, 360);
    if (resolvedAt !== null && r() < 0.08) {
      const reopenedAt = Math.round(resolvedAt + logNormal(r, 1440, 0.8) * MINUTE);
      if (reopenedAt < end) {
        changes.push({
          type: 'helpdesk.ticket.status_changed',
          change: { at: reopenedAt, status: 'open', resolvedAt: undefined },
        });
        if (res === 'met') res = 'running';
        sla.push({ type: 'helpdesk.sla.updated', at: reopenedAt + 500, fr, res });
        resolvedAt = resolve(reopenedAt, 240);
      }
    }
    if (resolvedAt !== null && r() < 0.12) {
      const ratedAt = resolvedAt + 60 * MINUTE;
      const score = pick(r, [5, 4, 3, 2, 1], [0.55, 0.25, 0.1, 0.05, 0.05]);
      if (ratedAt < end)
        changes.push({
          type: 'helpdesk.ticket.updated',
          change: { at: ratedAt, rating: { score, comment: '', ratedAt: new Date(ratedAt) } },
        });
    }

    const events: BenchEvent[] = [this.ticketEvent('helpdesk.ticket.created', ticket, openedAt)];
    let current = ticket;
    for (const { type, change } of changes.sort((a, b) => a.change.at - b.change.at)) {
      const { at, ...fields } = change;
      current = { ...current, ...fields, version: current.version + 1, updatedAt: new Date(at) };
      events.push(this.ticketEvent(type, current, at));
    }
    const policyId = POLICY;
    sla
      .sort((a, b) => a.at - b.at)
      .forEach((s, k) => {
        if (s.at >= end) return;
        events.push({
          stream: 'sla',
          event: this.envelope(s.type, s.at, {
            ticketId: ticket.id,
            ticketNumber: ticket.number,
            sla: {
              policyId,
              firstResponse: { state: s.fr },
              resolution: { state: s.res },
              warning: false,
            },
            target: '',
            sequence: k + 1,
            firstResponseBusinessMinutes: s.business,
          }),
        });
      });
    return events;
  }

  private ticketEvent(type: EventType, ticket: ticketV1.Ticket, at: number): BenchEvent {
    const actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: ticket.assigneeId || POLICY };
    const data =
      type === 'helpdesk.ticket.status_changed'
        ? { ticket, actor, from: '', to: ticket.status }
        : type === 'helpdesk.ticket.message_added'
          ? {
              ticket,
              actor,
              message: ticketV1.TicketMessage.fromPartial({
                id: randomUUID(),
                tenantId: ticket.tenantId,
                ticketId: ticket.id,
                kind: 'public_reply',
                bodyText: 'On it.',
                createdAt: new Date(at),
              }),
            }
          : type === 'helpdesk.ticket.updated'
            ? { ticket, actor, changes: [] }
            : { ticket, actor };
    return { stream: 'ticket', event: this.envelope(type, at, data) };
  }

  private envelope(type: EventType, at: number, data: unknown): CatalogEnvelope {
    return {
      id: randomUUID(),
      version: 1,
      tenantId: this.shape.tenantId,
      occurredAt: new Date(at).toISOString(),
      type,
      data: data as EventData<'helpdesk.ticket.created'>,
    } as CatalogEnvelope;
  }
}

const POLICY = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

// In-memory adapters of the ports for use-case specs. The unit of work stages writes and applies them
// only when the work resolves, so specs can observe rollback the way PostgreSQL would behave.
import { randomUUID } from 'node:crypto';
import type { Ticket } from '../domain/ticket';
import type {
  Clock,
  HtmlSanitizer,
  IdGenerator,
  ListTicketsQuery,
  OutboxNotifier,
  SanitizedDescription,
  TicketDomainEvent,
  TicketNumberAllocator,
  TicketRepository,
  TransactionContext,
  UnitOfWork,
} from './ports';

export class InMemoryTicketStore implements TicketRepository, UnitOfWork {
  readonly tickets = new Map<string, Ticket>();
  readonly outbox: TicketDomainEvent[] = [];
  /** When set, called after the work inside a transaction; throwing from it rolls everything back. */
  beforeCommit?: () => void;

  async findById(tenantId: string, id: string): Promise<Ticket | null> {
    const t = this.tickets.get(id);
    return t && t.tenantId === tenantId ? structuredClone(t) : null;
  }

  async list(q: ListTicketsQuery): Promise<Ticket[]> {
    return [...this.tickets.values()]
      .filter((t) => t.tenantId === q.tenantId)
      .filter((t) => q.statuses.length === 0 || q.statuses.includes(t.status))
      .filter((t) => q.priorities.length === 0 || q.priorities.includes(t.priority))
      .filter((t) => !q.after || compareNewestFirst(t, q.after) > 0)
      .sort(compareNewestFirst)
      .slice(0, q.limit)
      .map((t) => structuredClone(t));
  }

  async run<T>(work: (ctx: TransactionContext) => Promise<T>): Promise<T> {
    const staged: Ticket[] = [];
    const events: TicketDomainEvent[] = [];
    const result = await work({
      tickets: {
        insert: async (ticket) => {
          const clash = [...this.tickets.values(), ...staged].some(
            (t) => t.id === ticket.id || (t.tenantId === ticket.tenantId && t.number === ticket.number),
          );
          if (clash) throw new Error('unique violation');
          staged.push(structuredClone(ticket));
        },
      },
      outbox: { enqueue: async (event) => void events.push(structuredClone(event)) },
    });
    this.beforeCommit?.();
    for (const t of staged) this.tickets.set(t.id, t);
    this.outbox.push(...events);
    return result;
  }
}

// newest first: openedAt desc, then id desc
function compareNewestFirst(a: { openedAt: Date; id: string }, b: { openedAt: Date; id: string }): number {
  const byTime = b.openedAt.getTime() - a.openedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class InMemoryNumbers implements TicketNumberAllocator {
  private readonly next_ = new Map<string, number>();
  async next(tenantId: string): Promise<number> {
    const n = this.next_.get(tenantId) ?? 1001;
    this.next_.set(tenantId, n + 1);
    return n;
  }
}

/** Records what it was given and answers a recognisable transformation of it. */
export class RecordingSanitizer implements HtmlSanitizer {
  readonly inputs: string[] = [];
  sanitize(input: string): SanitizedDescription {
    this.inputs.push(input);
    return { html: `<p>${input.toUpperCase()}</p>`, text: input.toLowerCase() };
  }
}

export class CountingNotifier implements OutboxNotifier {
  nudges = 0;
  nudge(): void {
    this.nudges += 1;
  }
}

export class SteppingClock implements Clock {
  constructor(
    private current = new Date('2026-03-01T10:00:00.000Z'),
    private readonly stepMs = 1000,
  ) {}
  now(): Date {
    const now = new Date(this.current);
    this.current = new Date(this.current.getTime() + this.stepMs);
    return now;
  }
}

export class QueuedIds implements IdGenerator {
  constructor(private readonly queue: string[] = []) {}
  newId(): string {
    return this.queue.shift() ?? randomUUID();
  }
}

import { DomainError } from '@helpdesk/platform';
import { encodeCursor } from '../domain/cursor';
import type { Ticket, TicketPriority, TicketStatus } from '../domain/ticket';
import { CreateTicketUseCase } from './create-ticket.use-case';
import {
  CountingNotifier,
  InMemoryNumbers,
  InMemoryTicketStore,
  QueuedIds,
  RecordingSanitizer,
  SteppingClock,
} from './in-memory.fakes';
import { ListTicketsUseCase } from './list-tickets.use-case';

const TENANT_A = '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b';
const TENANT_B = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'critical'];

async function seeded(count: number, clockStepMs = 1000) {
  const store = new InMemoryTicketStore();
  const create = new CreateTicketUseCase({
    uow: store,
    numbers: new InMemoryNumbers(),
    sanitizer: new RecordingSanitizer(),
    outbox: new CountingNotifier(),
    // a step of 0 gives every ticket the same openedAt, so only the id orders them
    clock: new SteppingClock(new Date('2026-03-01T10:00:00.000Z'), clockStepMs),
    ids: new QueuedIds(),
  });
  const created: Ticket[] = [];
  for (let i = 0; i < count; i += 1) {
    created.push(
      await create.execute({
        tenantId: TENANT_A,
        actor: { type: 'user', id: 'u1' },
        title: `ticket ${i}`,
        description: '',
        priority: PRIORITIES[i % 4],
        requester: { email: 'r@x.example', name: 'R' },
      }),
    );
  }
  await create.execute({
    tenantId: TENANT_B,
    actor: { type: 'user', id: 'u9' },
    title: 'other tenant',
    description: '',
    requester: { email: 'r@y.example', name: 'R' },
  });
  return { store, created, list: new ListTicketsUseCase(store) };
}

async function walk(
  list: ListTicketsUseCase,
  limit: number,
  filters: { statuses?: TicketStatus[]; priorities?: TicketPriority[] } = {},
) {
  const seen: Ticket[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list.execute({ tenantId: TENANT_A, limit, cursor, ...filters });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 100);
  return { seen, pages };
}

describe('ListTicketsUseCase', () => {
  it('walks all of the tenant’s tickets newest first, without duplicates, by cursor', async () => {
    const { created, list } = await seeded(11);
    const { seen, pages } = await walk(list, 4);
    expect(pages).toBe(3);
    expect(seen.map((t) => t.number)).toEqual(created.map((t) => t.number).reverse());
  });

  it('orders by id when tickets were opened at the same instant', async () => {
    const { created, list } = await seeded(7, 0);
    const { seen } = await walk(list, 3);
    expect(seen.map((t) => t.id)).toEqual(
      created
        .map((t) => t.id)
        .sort()
        .reverse(),
    );
  });

  it('answers a null cursor on the last page, also when the page is exactly full', async () => {
    const { list } = await seeded(4);
    const page = await list.execute({ tenantId: TENANT_A, limit: 4 });
    expect(page.items).toHaveLength(4);
    expect(page.nextCursor).toBeNull();
  });

  it('defaults to 50 items per page', async () => {
    const { list } = await seeded(51);
    const page = await list.execute({ tenantId: TENANT_A });
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
  });

  it('filters by priority and status', async () => {
    const { list } = await seeded(8);
    const { seen } = await walk(list, 2, { priorities: ['high', 'critical'] });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((t) => t.priority))).toEqual(new Set(['high', 'critical']));
    expect((await list.execute({ tenantId: TENANT_A, statuses: ['closed'] })).items).toEqual([]);
    expect((await list.execute({ tenantId: TENANT_A, statuses: ['open'] })).items).toHaveLength(8);
  });

  it.each([0, 201, 1.5, -1])('rejects limit %p', async (limit) => {
    const { list } = await seeded(1);
    await expect(list.execute({ tenantId: TENANT_A, limit })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('rejects a forged cursor as INVALID_ARGUMENT', async () => {
    const { list } = await seeded(1);
    const err = await list.execute({ tenantId: TENANT_A, cursor: 'garbage!' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID_ARGUMENT');
  });

  it('continues after a cursor even when the ticket it points at no longer matches', async () => {
    const { created, list } = await seeded(3);
    const middle = created[1]!;
    const page = await list.execute({
      tenantId: TENANT_A,
      cursor: encodeCursor({ openedAt: middle.openedAt, id: middle.id }),
    });
    expect(page.items.map((t) => t.number)).toEqual([1001]);
  });
});

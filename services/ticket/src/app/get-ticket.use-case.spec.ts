import { DomainError } from '@helpdesk/platform';
import { openTicket } from '../domain/ticket';
import { GetTicketUseCase } from './get-ticket.use-case';
import { InMemoryTicketStore } from './in-memory.fakes';

const TENANT_A = '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b';
const TENANT_B = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ID = '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10';

async function seeded() {
  const store = new InMemoryTicketStore();
  const ticket = openTicket({
    id: ID,
    tenantId: TENANT_A,
    number: 1001,
    title: 'Mail bounces',
    descriptionHtml: '',
    descriptionText: '',
    requester: { email: 'a@b.example', name: 'A' },
    createdBy: { type: 'user', id: 'u1' },
    now: new Date('2026-03-01T10:00:00.000Z'),
  });
  await store.run(async (ctx) => ctx.tickets.insert(ticket));
  return { store, ticket, useCase: new GetTicketUseCase(store) };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return err instanceof DomainError ? err.code : `not a DomainError: ${String(err)}`;
}

describe('GetTicketUseCase', () => {
  it("reads the tenant's ticket, also by an upper-case id", async () => {
    const { useCase, ticket } = await seeded();
    expect(await useCase.execute({ tenantId: TENANT_A, id: ID })).toEqual(ticket);
    expect(await useCase.execute({ tenantId: TENANT_A, id: ID.toUpperCase() })).toEqual(ticket);
  });

  it("answers NOT_FOUND for another tenant's ticket, an unknown id and an id that is no uuid", async () => {
    const { useCase } = await seeded();
    expect(await codeOf(useCase.execute({ tenantId: TENANT_B, id: ID }))).toBe('NOT_FOUND');
    expect(
      await codeOf(useCase.execute({ tenantId: TENANT_A, id: 'aaaaaaaa-6c1f-4f7e-9a53-2f1d7c1b9e10' })),
    ).toBe('NOT_FOUND');
    expect(await codeOf(useCase.execute({ tenantId: TENANT_A, id: 'not-a-uuid' }))).toBe('NOT_FOUND');
    expect(await codeOf(useCase.execute({ tenantId: TENANT_A, id: '' }))).toBe('NOT_FOUND');
  });
});

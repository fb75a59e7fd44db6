import { DomainError } from '@helpdesk/platform';
import { CreateTicketUseCase, type CreateTicketCommand } from './create-ticket.use-case';
import {
  CountingNotifier,
  InMemoryNumbers,
  InMemoryTicketStore,
  QueuedIds,
  RecordingSanitizer,
  SteppingClock,
} from './in-memory.fakes';

const TENANT_A = '0f8e5b1a-2a7c-4d8e-b1f3-5c6d7e8f9a0b';
const TENANT_B = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function setup(ids: string[] = []) {
  const store = new InMemoryTicketStore();
  const numbers = new InMemoryNumbers();
  const sanitizer = new RecordingSanitizer();
  const notifier = new CountingNotifier();
  const useCase = new CreateTicketUseCase({
    uow: store,
    numbers,
    sanitizer,
    outbox: notifier,
    clock: new SteppingClock(),
    ids: new QueuedIds(ids),
  });
  return { store, numbers, sanitizer, notifier, useCase };
}

const command = (over: Partial<CreateTicketCommand> = {}): CreateTicketCommand => ({
  tenantId: TENANT_A,
  actor: { type: 'user', id: 'user-1' },
  title: ' VPN drops every hour ',
  description: 'since Monday',
  requester: { email: 'Bob@Client.example', name: 'Bob' },
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

describe('CreateTicketUseCase', () => {
  it('opens the ticket with the next number, sanitized description, and enqueues helpdesk.ticket.created with it', async () => {
    const { store, sanitizer, notifier, useCase } = setup(['3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10']);
    const ticket = await useCase.execute(command());

    expect(ticket).toMatchObject({
      id: '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10',
      tenantId: TENANT_A,
      number: 1001,
      title: 'VPN drops every hour',
      descriptionHtml: '<p>SINCE MONDAY</p>',
      descriptionText: 'since monday',
      status: 'open',
      priority: 'medium',
      source: 'agent',
      raisedBy: 'bob@client.example',
      requester: { email: 'bob@client.example', name: 'Bob' },
      createdBy: { type: 'user', id: 'user-1' },
      openedAt: new Date('2026-03-01T10:00:00.000Z'),
      version: 1,
    });
    expect(sanitizer.inputs).toEqual(['since Monday']);
    expect(await store.findById(TENANT_A, ticket.id)).toEqual(ticket);
    expect(store.outbox).toEqual([{ type: 'helpdesk.ticket.created', tenantId: TENANT_A, ticket }]);
    expect(notifier.nudges).toBe(1);
  });

  it('numbers each tenant on its own from 1001', async () => {
    const { useCase } = setup();
    const a1 = await useCase.execute(command());
    const a2 = await useCase.execute(command());
    const b1 = await useCase.execute(command({ tenantId: TENANT_B }));
    expect([a1.number, a2.number, b1.number]).toEqual([1001, 1002, 1001]);
  });

  it('keeps explicit priority and source and derives the source from the actor otherwise', async () => {
    const { useCase } = setup();
    expect(await useCase.execute(command({ priority: 'high', source: 'phone' }))).toMatchObject({
      priority: 'high',
      source: 'phone',
    });
    expect((await useCase.execute(command({ actor: { type: 'api_key', id: 'k1' } }))).source).toBe('api');
    expect((await useCase.execute(command({ actor: { type: 'contact', id: 'c1' } }))).source).toBe('portal');
    expect((await useCase.execute(command({ actor: { type: 'system', id: null } }))).source).toBe('api');
  });

  it('rejects a blank or too long title and a too long description before taking a number', async () => {
    const { useCase, store, sanitizer } = setup();
    expect((await rejection(useCase.execute(command({ title: '  ' })))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(useCase.execute(command({ title: 'x'.repeat(301) })))).code).toBe(
      'INVALID_ARGUMENT',
    );
    const tooLong = await rejection(useCase.execute(command({ description: 'x'.repeat(100_001) })));
    expect(tooLong.code).toBe('INVALID_ARGUMENT');
    expect(sanitizer.inputs).toEqual([]);
    // no number was burnt by the rejected calls
    expect((await useCase.execute(command())).number).toBe(1001);
    expect(store.outbox).toHaveLength(1);
  });

  it('accepts a description of exactly 100 000 characters', async () => {
    const { useCase } = setup();
    await expect(useCase.execute(command({ description: 'y'.repeat(100_000) }))).resolves.toMatchObject({
      number: 1001,
    });
  });

  it('writes neither ticket nor event when the transaction fails, and does not nudge the relay', async () => {
    const { useCase, store, notifier } = setup();
    store.beforeCommit = () => {
      throw new Error('commit failed');
    };
    await expect(useCase.execute(command())).rejects.toThrow('commit failed');
    expect(store.tickets.size).toBe(0);
    expect(store.outbox).toEqual([]);
    expect(notifier.nudges).toBe(0);
  });

  it('leaves a gap, never a reused number, after a failed create', async () => {
    const dup = '3b0c7a5e-6c1f-4f7e-9a53-2f1d7c1b9e10';
    const { useCase } = setup([dup, dup]);
    await useCase.execute(command());
    await expect(useCase.execute(command())).rejects.toThrow('unique violation');
    expect((await useCase.execute(command())).number).toBe(1003);
  });
});

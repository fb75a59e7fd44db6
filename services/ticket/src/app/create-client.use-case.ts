import type { Client } from '../domain/directory';
import { checkNotes, normalizeDomains, normalizeName } from '../domain/directory';
import { ruled } from './directory-support';
import type { Clock, DirectoryUnitOfWork, IdGenerator, OutboxNotifier } from './ports';

export interface CreateClientCommand {
  tenantId: string;
  name: string;
  domains: string[];
  slaPolicyId: string | null;
  notes: string;
}

export interface DirectoryDeps {
  uow: DirectoryUnitOfWork;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

export class CreateClientUseCase {
  constructor(private readonly deps: DirectoryDeps) {}

  async execute(command: CreateClientCommand): Promise<Client> {
    const now = this.deps.clock.now();
    const client: Client = {
      id: this.deps.ids.newId(),
      tenantId: command.tenantId,
      name: ruled(() => normalizeName(command.name)),
      domains: ruled(() => normalizeDomains(command.domains)),
      slaPolicyId: command.slaPolicyId,
      notes: ruled(() => checkNotes(command.notes)),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.uow.run(async (tx) => {
      // a domain of another client answers ALREADY_EXISTS from the writer (unique per tenant)
      await tx.writer.insertClient(client);
      await tx.outbox.enqueue({ type: 'helpdesk.ticket.client_created', client });
    });
    this.deps.outbox.nudge();
    return client;
  }
}

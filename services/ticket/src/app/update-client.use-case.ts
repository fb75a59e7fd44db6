import { notFound } from '@helpdesk/platform';
import { checkNotes, normalizeDomains, normalizeName, type Client } from '../domain/directory';
import type { DirectoryDeps } from './create-client.use-case';
import { checkVersion, patched, requireUuidOrNotFound, ruled, staleWrite } from './directory-support';

export interface UpdateClientCommand {
  tenantId: string;
  id: string;
  /** If-Match: fail with CONFLICT unless the client is still at this version. */
  expectedVersion?: number;
  name?: string;
  /** Replaces the whole list. */
  domains?: string[];
  /** null clears it. */
  slaPolicyId?: string | null;
  notes?: string;
}

export class UpdateClientUseCase {
  constructor(private readonly deps: Omit<DirectoryDeps, 'ids'>) {}

  async execute(command: UpdateClientCommand): Promise<Client> {
    const id = requireUuidOrNotFound(command.id, 'client');
    const name = command.name === undefined ? undefined : ruled(() => normalizeName(command.name!));
    const domains =
      command.domains === undefined ? undefined : ruled(() => normalizeDomains(command.domains!));
    const notes = command.notes === undefined ? undefined : ruled(() => checkNotes(command.notes!));

    const { client, changed } = await this.deps.uow.run(async (tx) => {
      const current = await tx.reader.findClient(command.tenantId, id);
      if (!current || current.tenantId !== command.tenantId) throw notFound('client');
      checkVersion('client', command.expectedVersion, current.version);
      const next: Client = {
        ...current,
        name: patched(name, current.name),
        domains: patched(domains, current.domains),
        slaPolicyId: patched(command.slaPolicyId, current.slaPolicyId),
        notes: patched(notes, current.notes),
      };
      // a patch that changes nothing is no change: no new version, no event
      if (sameClient(current, next)) return { client: current, changed: false };
      const updated: Client = { ...next, updatedAt: this.deps.clock.now(), version: current.version + 1 };
      if (!(await tx.writer.updateClient(updated, current.version))) throw staleWrite('client');
      await tx.outbox.enqueue({ type: 'helpdesk.ticket.client_updated', client: updated });
      return { client: updated, changed: true };
    });
    if (changed) this.deps.outbox.nudge();
    return client;
  }
}

function sameClient(a: Client, b: Client): boolean {
  return (
    a.name === b.name &&
    a.slaPolicyId === b.slaPolicyId &&
    a.notes === b.notes &&
    a.domains.length === b.domains.length &&
    a.domains.every((d, i) => d === b.domains[i])
  );
}

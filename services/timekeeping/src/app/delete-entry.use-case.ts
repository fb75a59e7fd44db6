import type { EntryView } from '../domain/entry';
import { emitEntryEvent, entryView, type Caller } from './support';
import { lockEntryForChange, type EntryChangeDeps } from './update-entry.use-case';

export interface DeleteEntryCommand {
  tenantId: string;
  caller: Caller;
  id: string;
  expectedVersion?: number | undefined;
}

/** Deletes an entry: its own user or an admin. Answers the entry as it was. */
export class DeleteEntryUseCase {
  constructor(private readonly deps: Pick<EntryChangeDeps, 'uow' | 'outbox'>) {}

  async execute(command: DeleteEntryCommand): Promise<EntryView> {
    const entry = await this.deps.uow.run(async (tx) => {
      const { current, ticket, userId } = await lockEntryForChange(tx, command, 'delete');
      const view = entryView(current, ticket);
      await tx.deleteEntry(view);
      await emitEntryEvent(tx, 'helpdesk.time.entry_deleted', view, userId);
      return view;
    });
    this.deps.outbox.nudge();
    return entry;
  }
}

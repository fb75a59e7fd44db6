import { normalizeEmail, type Contact } from '../domain/directory';
import type { DirectoryDeps } from './create-client.use-case';
import { ruled, staleWrite } from './directory-support';

/** Mail intake saw a delivery report for an address: mark its contact as bouncing (or clear the mark). */
export class SetContactBouncingUseCase {
  constructor(private readonly deps: Omit<DirectoryDeps, 'ids'>) {}

  async execute(tenantId: string, email: string, bouncing: boolean): Promise<Contact | null> {
    const address = ruled(() => normalizeEmail(email));
    const result = await this.deps.uow.run(async (tx) => {
      const current = await tx.reader.findContactByEmail(tenantId, address);
      if (!current || current.emailBouncing === bouncing) return { contact: current, changed: false };
      const now = this.deps.clock.now();
      const updated: Contact = {
        ...current,
        emailBouncing: bouncing,
        updatedAt: now,
        version: current.version + 1,
      };
      if (!(await tx.writer.updateContact(updated, current.version, undefined, bouncing ? now : null))) {
        throw staleWrite('contact');
      }
      await tx.outbox.enqueue({ type: 'helpdesk.ticket.contact_updated', contact: updated });
      return { contact: updated, changed: true };
    });
    if (result.changed) this.deps.outbox.nudge();
    return result.contact;
  }
}

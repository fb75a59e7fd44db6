import { notFound } from '@helpdesk/platform';
import {
  checkPassword,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  parsePortalAccess,
  type Contact,
} from '../domain/directory';
import type { DirectoryDeps } from './create-client.use-case';
import { requireClient } from './create-contact.use-case';
import { checkVersion, patched, requireUuidOrNotFound, ruled, staleWrite } from './directory-support';
import type { PasswordChange, PasswordHasher } from './ports';

export interface UpdateContactCommand {
  tenantId: string;
  id: string;
  /** If-Match: fail with CONFLICT unless the contact is still at this version. */
  expectedVersion?: number;
  name?: string;
  email?: string;
  /** null clears it. */
  phone?: string | null;
  /** null detaches the contact from its client. */
  clientId?: string | null;
  portalAccess?: string;
  /** null removes the portal password. */
  password?: string | null;
}

export class UpdateContactUseCase {
  constructor(private readonly deps: Omit<DirectoryDeps, 'ids'> & { hasher: PasswordHasher }) {}

  async execute(command: UpdateContactCommand): Promise<Contact> {
    const id = requireUuidOrNotFound(command.id, 'contact');
    const name = command.name === undefined ? undefined : ruled(() => normalizeName(command.name!));
    const email = command.email === undefined ? undefined : ruled(() => normalizeEmail(command.email!));
    const phone =
      command.phone == null ? command.phone : ruled(() => normalizePhone(command.phone as string));
    const portalAccess =
      command.portalAccess === undefined ? undefined : ruled(() => parsePortalAccess(command.portalAccess!));
    let password: PasswordChange | undefined;
    if (command.password === null) password = { hash: null };
    else if (command.password !== undefined) {
      const plain = ruled(() => checkPassword(command.password as string));
      // hashed before the transaction: argon2 is slow on purpose and must not hold a connection
      password = { hash: await this.deps.hasher.hash(plain) };
    }

    const { contact, changed } = await this.deps.uow.run(async (tx) => {
      const current = await tx.reader.findContact(command.tenantId, id);
      if (!current || current.tenantId !== command.tenantId) throw notFound('contact');
      checkVersion('contact', command.expectedVersion, current.version);
      const clientId =
        command.clientId == null
          ? command.clientId
          : await requireClient(tx.reader, command.tenantId, command.clientId);
      const next: Contact = {
        ...current,
        name: patched(name, current.name),
        email: patched(email, current.email),
        phone: patched(phone, current.phone),
        clientId: patched(clientId, current.clientId),
        portalAccess: patched(portalAccess, current.portalAccess),
        hasPortalPassword: password === undefined ? current.hasPortalPassword : password.hash !== null,
      };
      // a new password is a change even when the flag stays true; otherwise an empty patch is no change
      if (password === undefined && sameContact(current, next)) return { contact: current, changed: false };
      const updated: Contact = { ...next, updatedAt: this.deps.clock.now(), version: current.version + 1 };
      if (!(await tx.writer.updateContact(updated, current.version, password))) throw staleWrite('contact');
      await tx.outbox.enqueue({ type: 'helpdesk.ticket.contact_updated', contact: updated });
      return { contact: updated, changed: true };
    });
    if (changed) this.deps.outbox.nudge();
    return contact;
  }
}

function sameContact(a: Contact, b: Contact): boolean {
  return (
    a.name === b.name &&
    a.email === b.email &&
    a.phone === b.phone &&
    a.clientId === b.clientId &&
    a.portalAccess === b.portalAccess &&
    a.hasPortalPassword === b.hasPortalPassword
  );
}

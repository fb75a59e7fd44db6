import { invalidArgument } from '@helpdesk/platform';
import {
  checkPassword,
  contactNameFor,
  emailDomain,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  parsePortalAccess,
  type Contact,
} from '../domain/directory';
import type { DirectoryDeps } from './create-client.use-case';
import { ruled } from './directory-support';
import type { DirectoryReader, PasswordHasher } from './ports';

export interface CreateContactCommand {
  tenantId: string;
  /** Empty: derived from the address (unknown senders often have no name). */
  name: string;
  email: string;
  phone: string;
  /** null: joins the client whose domains contain the address's domain, if any. */
  clientId: string | null;
  /** '' means the default, none. */
  portalAccess: string;
  password: string | null;
}

export class CreateContactUseCase {
  constructor(private readonly deps: DirectoryDeps & { hasher: PasswordHasher }) {}

  async execute(command: CreateContactCommand): Promise<Contact> {
    const email = ruled(() => normalizeEmail(command.email));
    const name =
      command.name.trim() === '' ? contactNameFor(email, '') : ruled(() => normalizeName(command.name));
    const phone = ruled(() => normalizePhone(command.phone));
    const portalAccess = ruled(() => parsePortalAccess(command.portalAccess));
    const password = command.password === null ? null : ruled(() => checkPassword(command.password!));
    // hashed before the transaction: argon2 is slow on purpose and must not hold a connection
    const passwordHash = password === null ? null : await this.deps.hasher.hash(password);

    const contact = await this.deps.uow.run(async (tx) => {
      const clientId = await clientFor(tx.reader, command.tenantId, command.clientId, email);
      const now = this.deps.clock.now();
      const created: Contact = {
        id: this.deps.ids.newId(),
        tenantId: command.tenantId,
        name,
        email,
        phone,
        clientId,
        portalAccess,
        hasPortalPassword: passwordHash !== null,
        emailBouncing: false,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      // a taken address answers ALREADY_EXISTS from the writer (unique per tenant)
      await tx.writer.insertContact(created, passwordHash);
      await tx.outbox.enqueue({ type: 'helpdesk.ticket.contact_created', contact: created });
      return created;
    });
    this.deps.outbox.nudge();
    return contact;
  }
}

/** The named client (which must be the tenant's), or else the one owning the address's domain. */
export async function clientFor(
  reader: DirectoryReader,
  tenantId: string,
  given: string | null,
  email: string,
): Promise<string | null> {
  if (given !== null) return requireClient(reader, tenantId, given);
  return reader.findClientIdByDomain(tenantId, emailDomain(email));
}

export async function requireClient(reader: DirectoryReader, tenantId: string, id: string): Promise<string> {
  const client = await reader.findClient(tenantId, id.toLowerCase());
  // another tenant's client is as unknown as a missing one
  if (!client || client.tenantId !== tenantId) {
    throw invalidArgument('clientId: no such client', [{ path: ['clientId'], message: 'no such client' }]);
  }
  return client.id;
}

// The client and contact of a ticket as a caller names them (create with clientId, PATCH client and contact):
// the client must be the tenant's, the contact must fit it (docs/api.md "Tenancy":
// another tenant's client answers 404).
import { invalidArgument, notFound } from '@helpdesk/platform';
import type { Contact } from '../domain/directory';
import { contactFitsClient } from '../domain/ticket-update';
import type { DirectoryReader } from './ports';

/** The tenant's client of this id, or NOT_FOUND (another tenant's client is as unknown as a missing one). */
export async function requireTicketClient(
  directory: DirectoryReader,
  tenantId: string,
  id: string,
): Promise<string> {
  const client = await directory.findClient(tenantId, id.toLowerCase());
  if (!client || client.tenantId !== tenantId) throw notFound('client');
  return client.id;
}

/** The tenant's contact of this id, or INVALID_ARGUMENT naming `field`. */
export async function requireContact(
  directory: DirectoryReader,
  tenantId: string,
  id: string,
  field = 'contactId',
): Promise<Contact> {
  const contact = await directory.findContact(tenantId, id.toLowerCase());
  if (!contact || contact.tenantId !== tenantId) {
    throw invalidArgument(`${field}: no such contact`, [{ path: [field], message: 'not found' }]);
  }
  return contact;
}

/** INVALID_ARGUMENT naming `field` unless the contact belongs to the ticket's client or to none. */
export function checkContactFits(contact: Contact, clientId: string | null, field: string): void {
  if (contactFitsClient(contact.clientId, clientId)) return;
  const message = clientId
    ? `${contact.email} is a contact of another client than the ticket's`
    : `${contact.email} is a contact of a client; the ticket has none`;
  throw invalidArgument(`${field}: ${message}`, [{ path: [field], message }]);
}

import { isUuid, notFound, permissionDenied } from '@helpdesk/platform';
import type { Actor, Ticket } from '../domain/ticket';
import { contactMaySee, type Viewer } from '../domain/visibility';
import type { DirectoryReader } from './ports';

/**
 * The portal view of a contact actor (docs/product/portal.md); undefined for agents, API keys and the platform, who
 * see the whole tenant. A contact that no longer exists or has lost portal access may see nothing.
 */
export async function viewerFor(
  directory: Pick<DirectoryReader, 'findContact'>,
  tenantId: string,
  actor: Actor | undefined,
): Promise<Viewer | undefined> {
  if (!actor || actor.type !== 'contact') return undefined;
  const contact = actor.id && isUuid(actor.id) ? await directory.findContact(tenantId, actor.id) : null;
  if (!contact || contact.portalAccess === 'none')
    throw permissionDenied('portal access is not enabled for this contact');
  return { contactId: contact.id, clientId: contact.clientId, portalAccess: contact.portalAccess };
}

/** A ticket the viewer may not see answers exactly like a missing one. */
export function requireVisible(ticket: Ticket | null, viewer: Viewer | undefined): Ticket {
  if (!ticket || (viewer && !contactMaySee(viewer, ticket))) throw notFound('ticket');
  return ticket;
}

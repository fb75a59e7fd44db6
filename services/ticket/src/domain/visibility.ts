// What a portal contact may see (docs/product/portal.md): its own tickets, or all of
// its client's with `portalAccess: client`.
import type { PortalAccess } from './directory';
import type { Ticket } from './ticket';

export interface Viewer {
  contactId: string;
  clientId: string | null;
  portalAccess: PortalAccess;
}

export function contactMaySee(viewer: Viewer, ticket: Pick<Ticket, 'contactId' | 'clientId'>): boolean {
  switch (viewer.portalAccess) {
    case 'none':
      return false;
    case 'own':
      return ticket.contactId === viewer.contactId;
    case 'client':
      return (
        ticket.contactId === viewer.contactId ||
        (viewer.clientId !== null && ticket.clientId === viewer.clientId)
      );
  }
}

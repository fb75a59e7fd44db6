// Domain clients and contacts ↔ the published contract, shared by the gRPC handlers and the outbox events.
import type { directoryV1 } from '@helpdesk/contracts';
import type { Client, Contact } from '../domain/directory';

export function toProtoClient(client: Client): directoryV1.Client {
  return {
    id: client.id,
    tenantId: client.tenantId,
    name: client.name,
    domains: [...client.domains],
    slaPolicyId: client.slaPolicyId ?? '',
    notes: client.notes,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
    version: client.version,
  };
}

// Built field by field: nothing about the password but whether one is set can reach the contract.
export function toProtoContact(contact: Contact): directoryV1.Contact {
  return {
    id: contact.id,
    tenantId: contact.tenantId,
    name: contact.name,
    email: contact.email,
    phone: contact.phone ?? '',
    clientId: contact.clientId ?? '',
    portalAccess: contact.portalAccess,
    hasPortalPassword: contact.hasPortalPassword,
    emailBouncing: contact.emailBouncing,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
    version: contact.version,
  };
}

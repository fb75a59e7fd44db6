// REST ↔ DirectoryService: proto3 has no null and no "absent" for plain fields, so REST's null becomes '' and
// an absent PATCH field stays unset (undefined) on the optional proto fields.
import type { directoryV1 } from '@helpdesk/contracts';
import { emptyToNull, isoOrNull } from '../../../app/rest-values';
import { toPageRequest, type PageQuery } from '../../../app/pagination';
import type { z } from 'zod';
import type {
  clientSchema,
  contactSchema,
  createClientBodySchema,
  createContactBodySchema,
  updateClientBodySchema,
  updateContactBodySchema,
} from '../schemas/directory.schema';
import type { UpdateTarget } from './update-target';

/** A client as the REST API shows it (docs/product/tenants-and-users.md). */
export type ClientDto = z.input<typeof clientSchema>;

/** A contact as the REST API shows it (docs/product/tenants-and-users.md); the portal password is write-only and never here. */
export type ContactDto = z.input<typeof contactSchema>;

export function toClientDto(client: directoryV1.Client): ClientDto {
  return {
    id: client.id,
    name: client.name,
    domains: client.domains,
    slaPolicyId: emptyToNull(client.slaPolicyId),
    notes: client.notes,
    createdAt: isoOrNull(client.createdAt),
    updatedAt: isoOrNull(client.updatedAt),
    version: client.version,
  };
}

// Field by field, so that nothing a future proto field carries reaches the API unreviewed.
export function toContactDto(contact: directoryV1.Contact): ContactDto {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: emptyToNull(contact.phone),
    clientId: emptyToNull(contact.clientId),
    portalAccess: contact.portalAccess,
    hasPortalPassword: contact.hasPortalPassword,
    emailBouncing: contact.emailBouncing,
    createdAt: isoOrNull(contact.createdAt),
    updatedAt: isoOrNull(contact.updatedAt),
    version: contact.version,
  };
}

const nullToEmpty = (value: string | null): string => value ?? '';
const optional = (value: string | null | undefined): string | undefined =>
  value === undefined ? undefined : nullToEmpty(value);

export type ClientInput = z.output<typeof createClientBodySchema>;

export function toCreateClientRequest(
  tenantId: string,
  actor: directoryV1.CreateClientRequest['actor'],
  body: ClientInput,
): directoryV1.CreateClientRequest {
  return {
    tenantId,
    actor,
    name: body.name,
    domains: body.domains ?? [],
    slaPolicyId: nullToEmpty(body.slaPolicyId ?? null),
    notes: body.notes ?? '',
  };
}

export type ClientPatch = z.output<typeof updateClientBodySchema>;

export function toUpdateClientRequest(
  target: UpdateTarget,
  patch: ClientPatch,
): directoryV1.UpdateClientRequest {
  return {
    ...target,
    name: patch.name,
    domains: patch.domains === undefined ? undefined : { domains: patch.domains },
    slaPolicyId: optional(patch.slaPolicyId),
    notes: patch.notes,
  };
}

export function toListClientsRequest(
  tenantId: string,
  query: PageQuery & { q?: string | undefined },
): directoryV1.ListClientsRequest {
  return { tenantId, page: toPageRequest(query), q: query.q ?? '' };
}

export type ContactInput = z.output<typeof createContactBodySchema>;

export function toCreateContactRequest(
  tenantId: string,
  actor: directoryV1.CreateContactRequest['actor'],
  body: ContactInput,
): directoryV1.CreateContactRequest {
  return {
    tenantId,
    actor,
    name: body.name,
    email: body.email,
    phone: nullToEmpty(body.phone ?? null),
    // '' lets the ticket service join the client of the e-mail's domain
    clientId: nullToEmpty(body.clientId ?? null),
    portalAccess: body.portalAccess ?? '',
    password: body.password ?? '',
  };
}

export type ContactPatch = z.output<typeof updateContactBodySchema>;

export function toUpdateContactRequest(
  target: UpdateTarget,
  patch: ContactPatch,
): directoryV1.UpdateContactRequest {
  return {
    ...target,
    name: patch.name,
    email: patch.email,
    phone: optional(patch.phone),
    clientId: optional(patch.clientId),
    portalAccess: patch.portalAccess,
    password: optional(patch.password),
  };
}

export function toListContactsRequest(
  tenantId: string,
  query: PageQuery & { clientId?: string | undefined; email?: string | undefined; q?: string | undefined },
): directoryV1.ListContactsRequest {
  return {
    tenantId,
    page: toPageRequest(query),
    clientId: query.clientId ?? '',
    email: query.email ?? '',
    q: query.q ?? '',
  };
}

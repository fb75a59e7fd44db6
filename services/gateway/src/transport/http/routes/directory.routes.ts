import {
  toClientDto,
  toContactDto,
  toCreateClientRequest,
  toCreateContactRequest,
  toListClientsRequest,
  toListContactsRequest,
  toUpdateClientRequest,
  toUpdateContactRequest,
} from '../mappers/directory.mapper';
import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema } from '../schemas/common.schema';
import {
  clientPageSchema,
  clientSchema,
  contactPageSchema,
  contactSchema,
  createClientBodySchema,
  createContactBodySchema,
  listClientsQuerySchema,
  listContactsQuerySchema,
  updateClientBodySchema,
  updateContactBodySchema,
} from '../schemas/directory.schema';
import type { RouteDeps } from './route-deps';
import { updateTarget } from '../mappers/update-target';

const missing = (what: string) => new GatewayError('INTERNAL', `Ticket service returned no ${what}`);

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw missing(what);
  return value;
}

/** Directory (docs/product/tenants-and-users.md): the tenant's client companies. */
export function clientRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/clients',
      operationId: 'createClient',
      summary: 'Creates a client company',
      tag: 'directory',
      access: 'tenant',
      body: createClientBodySchema,
      response: { status: 201, description: 'Created', schema: clientSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { client } = await deps.directory.createClient(
          toCreateClientRequest(principal.tenantId, toActor(principal), body),
        );
        return toClientDto(present(client, 'client'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/clients',
      operationId: 'listClients',
      summary: "Lists the tenant's clients by name",
      tag: 'directory',
      access: 'tenant',
      query: listClientsQuerySchema,
      response: { status: 200, description: 'A page of clients', schema: clientPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.directory.listClients(toListClientsRequest(principal.tenantId, query)),
          toClientDto,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/clients/:id',
      operationId: 'getClient',
      summary: 'Reads one client',
      tag: 'directory',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The client', schema: clientSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { client } = await deps.directory.getClient({ tenantId: principal.tenantId, id: params.id });
        return toClientDto(present(client, 'client'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/clients/:id',
      operationId: 'updateClient',
      summary: "Changes a client's name, domains, SLA policy or notes",
      tag: 'directory',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateClientBodySchema,
      response: { status: 200, description: 'The client after the change', schema: clientSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { client } = await deps.directory.updateClient(
          toUpdateClientRequest(updateTarget(principal, params.id, headers['if-match']), body),
        );
        return toClientDto(present(client, 'client'));
      },
    }),
  ];
}

/** Directory (docs/product/tenants-and-users.md): the people at the tenant's clients. */
export function contactRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/contacts',
      operationId: 'createContact',
      summary: "Creates a contact; without clientId it joins the client of its e-mail's domain",
      tag: 'directory',
      access: 'tenant',
      body: createContactBodySchema,
      response: { status: 201, description: 'Created', schema: contactSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { contact } = await deps.directory.createContact(
          toCreateContactRequest(principal.tenantId, toActor(principal), body),
        );
        return toContactDto(present(contact, 'contact'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contacts',
      operationId: 'listContacts',
      summary: "Lists the tenant's contacts by name",
      tag: 'directory',
      access: 'tenant',
      query: listContactsQuerySchema,
      response: { status: 200, description: 'A page of contacts', schema: contactPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.directory.listContacts(toListContactsRequest(principal.tenantId, query)),
          toContactDto,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id',
      operationId: 'getContact',
      summary: 'Reads one contact',
      tag: 'directory',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The contact', schema: contactSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { contact } = await deps.directory.getContact({ tenantId: principal.tenantId, id: params.id });
        return toContactDto(present(contact, 'contact'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/contacts/:id',
      operationId: 'updateContact',
      summary: "Changes a contact's name, e-mail, phone, client, portal access or portal password",
      tag: 'directory',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateContactBodySchema,
      response: { status: 200, description: 'The contact after the change', schema: contactSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { contact } = await deps.directory.updateContact(
          toUpdateContactRequest(updateTarget(principal, params.id, headers['if-match']), body),
        );
        return toContactDto(present(contact, 'contact'));
      },
    }),
  ];
}

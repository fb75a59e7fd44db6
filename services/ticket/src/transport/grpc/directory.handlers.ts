import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { directoryV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { CreateClientUseCase } from '../../app/create-client.use-case';
import type { CreateContactUseCase } from '../../app/create-contact.use-case';
import type { GetClientUseCase } from '../../app/get-client.use-case';
import type { GetContactUseCase } from '../../app/get-contact.use-case';
import type { ListClientsUseCase } from '../../app/list-clients.use-case';
import type { ListContactsUseCase } from '../../app/list-contacts.use-case';
import type { UpdateClientUseCase } from '../../app/update-client.use-case';
import type { UpdateContactUseCase } from '../../app/update-contact.use-case';
import type { PortalSignInUseCases } from '../../app/portal-sign-in.use-case';
import type { ResolveContactUseCase } from '../../app/resolve-contact.use-case';
import type { SetContactBouncingUseCase } from '../../app/set-contact-bouncing.use-case';
import { toProtoClient, toProtoContact } from '../directory.mapper';
import {
  createClientRequestSchema,
  createContactRequestSchema,
  getRequestSchema,
  listClientsRequestSchema,
  listContactsRequestSchema,
  updateClientRequestSchema,
  updateContactRequestSchema,
  resolveContactRequestSchema,
  setContactBouncingRequestSchema,
  authenticateContactRequestSchema,
  createMagicLinkRequestSchema,
  redeemMagicLinkRequestSchema,
} from './directory.schemas';

export interface DirectoryHandlerDeps {
  createClient: CreateClientUseCase;
  getClient: GetClientUseCase;
  listClients: ListClientsUseCase;
  updateClient: UpdateClientUseCase;
  createContact: CreateContactUseCase;
  getContact: GetContactUseCase;
  listContacts: ListContactsUseCase;
  updateContact: UpdateContactUseCase;
  resolveContact: ResolveContactUseCase;
  setContactBouncing: SetContactBouncingUseCase;
  portalSignIn: PortalSignInUseCases;
  logger: Logger;
}

/** DirectoryService: proto messages in, zod-checked use-case input, proto messages out. */
export function directoryHandlers(
  deps: DirectoryHandlerDeps,
): directoryV1.DirectoryServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    createClient: unary<directoryV1.CreateClientRequest, directoryV1.CreateClientResponse>(
      async (request) => {
        const { actor: _actor, ...input } = createClientRequestSchema.parse(request);
        const client = await deps.createClient.execute(input);
        logger.info({ tenantId: client.tenantId, clientId: client.id }, 'client created');
        return { client: toProtoClient(client) };
      },
      logger,
    ),

    getClient: unary<directoryV1.GetClientRequest, directoryV1.GetClientResponse>(
      async (request) => ({
        client: toProtoClient(await deps.getClient.execute(getRequestSchema.parse(request))),
      }),
      logger,
    ),

    listClients: unary<directoryV1.ListClientsRequest, directoryV1.ListClientsResponse>(async (request) => {
      const input = listClientsRequestSchema.parse(request);
      const page = await deps.listClients.execute({ tenantId: input.tenantId, ...input.page, q: input.q });
      return { items: page.items.map(toProtoClient), nextCursor: page.nextCursor ?? '' };
    }, logger),

    updateClient: unary<directoryV1.UpdateClientRequest, directoryV1.UpdateClientResponse>(
      async (request) => {
        const { actor: _actor, ...input } = updateClientRequestSchema.parse(request);
        const client = await deps.updateClient.execute(input);
        logger.info(
          { tenantId: client.tenantId, clientId: client.id, version: client.version },
          'client updated',
        );
        return { client: toProtoClient(client) };
      },
      logger,
    ),

    createContact: unary<directoryV1.CreateContactRequest, directoryV1.CreateContactResponse>(
      async (request) => {
        const { actor: _actor, ...input } = createContactRequestSchema.parse(request);
        const contact = await deps.createContact.execute(input);
        logger.info({ tenantId: contact.tenantId, contactId: contact.id }, 'contact created');
        return { contact: toProtoContact(contact) };
      },
      logger,
    ),

    getContact: unary<directoryV1.GetContactRequest, directoryV1.GetContactResponse>(
      async (request) => ({
        contact: toProtoContact(await deps.getContact.execute(getRequestSchema.parse(request))),
      }),
      logger,
    ),

    listContacts: unary<directoryV1.ListContactsRequest, directoryV1.ListContactsResponse>(
      async (request) => {
        const input = listContactsRequestSchema.parse(request);
        const page = await deps.listContacts.execute({
          tenantId: input.tenantId,
          ...input.page,
          clientId: input.clientId,
          email: input.email,
          q: input.q,
        });
        return { items: page.items.map(toProtoContact), nextCursor: page.nextCursor ?? '' };
      },
      logger,
    ),

    updateContact: unary<directoryV1.UpdateContactRequest, directoryV1.UpdateContactResponse>(
      async (request) => {
        const { actor: _actor, ...input } = updateContactRequestSchema.parse(request);
        const contact = await deps.updateContact.execute(input);
        logger.info(
          { tenantId: contact.tenantId, contactId: contact.id, version: contact.version },
          'contact updated',
        );
        return { contact: toProtoContact(contact) };
      },
      logger,
    ),

    resolveContact: unary<directoryV1.ResolveContactRequest, directoryV1.ResolveContactResponse>(
      async (request) => {
        const r = resolveContactRequestSchema.parse(request);
        const { contact, created } = await deps.resolveContact.resolve(r.tenantId, {
          email: r.email,
          name: r.name,
        });
        return { contact: toProtoContact(contact), created };
      },
      logger,
    ),

    setContactBouncing: unary<directoryV1.SetContactBouncingRequest, directoryV1.SetContactBouncingResponse>(
      async (request) => {
        const r = setContactBouncingRequestSchema.parse(request);
        const contact = await deps.setContactBouncing.execute(r.tenantId, r.email, r.bouncing);
        return { contact: contact ? toProtoContact(contact) : undefined };
      },
      logger,
    ),

    authenticateContact: unary<
      directoryV1.AuthenticateContactRequest,
      directoryV1.AuthenticateContactResponse
    >(async (request) => {
      const r = authenticateContactRequestSchema.parse(request);
      return {
        contact: toProtoContact(await deps.portalSignIn.withPassword(r.tenantId, r.email, r.password)),
      };
    }, logger),

    createPortalMagicLink: unary<
      directoryV1.CreatePortalMagicLinkRequest,
      directoryV1.CreatePortalMagicLinkResponse
    >(async (request) => {
      const r = createMagicLinkRequestSchema.parse(request);
      const link = await deps.portalSignIn.createMagicLink(r.tenantId, r.email, r.ttlSeconds);
      return { contact: toProtoContact(link.contact), token: link.token, expiresAt: link.expiresAt };
    }, logger),

    redeemPortalMagicLink: unary<
      directoryV1.RedeemPortalMagicLinkRequest,
      directoryV1.RedeemPortalMagicLinkResponse
    >(async (request) => {
      const r = redeemMagicLinkRequestSchema.parse(request);
      return { contact: toProtoContact(await deps.portalSignIn.redeemMagicLink(r.tenantId, r.token)) };
    }, logger),
  };
}

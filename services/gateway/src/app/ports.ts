import type { directoryV1, identityV1, mailV1, ticketV1 } from '@helpdesk/contracts';

type Unary<Req, Res> = (request: Req) => Promise<Res>;

/** The identity service as the gateway uses it (a promise-returning gRPC client; failures reject with DomainError). */
export interface IdentityPort {
  createTenant: Unary<identityV1.CreateTenantRequest, identityV1.CreateTenantResponse>;
  login: Unary<identityV1.LoginRequest, identityV1.LoginResponse>;
  authenticateApiKey: Unary<identityV1.AuthenticateApiKeyRequest, identityV1.AuthenticateApiKeyResponse>;
  getUser: Unary<identityV1.GetUserRequest, identityV1.GetUserResponse>;
  listUsers: Unary<identityV1.ListUsersRequest, identityV1.ListUsersResponse>;
  createUser: Unary<identityV1.CreateUserRequest, identityV1.CreateUserResponse>;
  updateUser: Unary<identityV1.UpdateUserRequest, identityV1.UpdateUserResponse>;
  listTeams: Unary<identityV1.ListTeamsRequest, identityV1.ListTeamsResponse>;
  createTeam: Unary<identityV1.CreateTeamRequest, identityV1.CreateTeamResponse>;
  createApiKey: Unary<identityV1.CreateApiKeyRequest, identityV1.CreateApiKeyResponse>;
  listApiKeys: Unary<identityV1.ListApiKeysRequest, identityV1.ListApiKeysResponse>;
  revokeApiKey: Unary<identityV1.RevokeApiKeyRequest, identityV1.RevokeApiKeyResponse>;
}

/** The ticket service as the gateway uses it. */
export interface TicketPort {
  createTicket: Unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>;
  getTicket: Unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>;
  listTickets: Unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>;
  getMessage: Unary<ticketV1.GetMessageRequest, ticketV1.GetMessageResponse>;
}

/** The mail-ingest service as the gateway uses it. */
export interface MailPort {
  createMailbox: Unary<mailV1.CreateMailboxRequest, mailV1.CreateMailboxResponse>;
  getMailbox: Unary<mailV1.GetMailboxRequest, mailV1.GetMailboxResponse>;
  listMailboxes: Unary<mailV1.ListMailboxesRequest, mailV1.ListMailboxesResponse>;
  updateMailbox: Unary<mailV1.UpdateMailboxRequest, mailV1.UpdateMailboxResponse>;
  deleteMailbox: Unary<mailV1.DeleteMailboxRequest, mailV1.DeleteMailboxResponse>;
  testMailbox: Unary<mailV1.TestMailboxRequest, mailV1.TestMailboxResponse>;
  getInboundMail: Unary<mailV1.GetInboundMailRequest, mailV1.GetInboundMailResponse>;
  listQuarantine: Unary<mailV1.ListQuarantineRequest, mailV1.ListQuarantineResponse>;
  retryQuarantined: Unary<mailV1.RetryQuarantinedRequest, mailV1.RetryQuarantinedResponse>;
  /** Streams the raw message to mail-ingest (client streaming). */
  pushRawMail(header: mailV1.PushRawMailHeader, raw: Buffer): Promise<mailV1.PushRawMailResponse>;
  /** The raw source: the info first, then chunks; a failure (NOT_FOUND) rejects the first read. */
  streamRawMail(request: mailV1.StreamRawMailRequest): AsyncIterable<mailV1.StreamRawMailResponse>;
}

/** The ticket service's directory (clients and contacts) as the gateway uses it. */
export interface DirectoryPort {
  createClient: Unary<directoryV1.CreateClientRequest, directoryV1.CreateClientResponse>;
  getClient: Unary<directoryV1.GetClientRequest, directoryV1.GetClientResponse>;
  listClients: Unary<directoryV1.ListClientsRequest, directoryV1.ListClientsResponse>;
  updateClient: Unary<directoryV1.UpdateClientRequest, directoryV1.UpdateClientResponse>;
  createContact: Unary<directoryV1.CreateContactRequest, directoryV1.CreateContactResponse>;
  getContact: Unary<directoryV1.GetContactRequest, directoryV1.GetContactResponse>;
  listContacts: Unary<directoryV1.ListContactsRequest, directoryV1.ListContactsResponse>;
  updateContact: Unary<directoryV1.UpdateContactRequest, directoryV1.UpdateContactResponse>;
}

/** A stored response to replay for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  body: unknown;
  requestHash: string;
}

export type IdempotencyBegin =
  | { state: 'started'; token: string }
  | { state: 'in_progress'; requestHash: string }
  | { state: 'completed'; response: StoredResponse };

/** Shared (all replicas) store of Idempotency-Key records. */
export interface IdempotencyStore {
  /** Takes the key for this request, or reports what another request left there. */
  begin(key: string, requestHash: string, lockSeconds: number): Promise<IdempotencyBegin>;
  /** Stores the response, if the key is still held with `token`. */
  complete(key: string, token: string, response: StoredResponse, ttlSeconds: number): Promise<void>;
  /** Releases the key (the request failed in a way worth retrying), if still held with `token`. */
  abandon(key: string, token: string): Promise<void>;
}

/** Fixed-window counter shared by all replicas. */
export interface WindowCounter {
  /** Counts one hit on `key`; returns the count in the current window and the seconds until it ends. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
}

import type { directoryV1, identityV1, slaV1, ticketV1 } from '@helpdesk/contracts';

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

/** The SLA service as the gateway uses it: calendars, policies, a ticket's clocks. */
export interface SlaPort {
  createCalendar: Unary<slaV1.CreateCalendarRequest, slaV1.CreateCalendarResponse>;
  getCalendar: Unary<slaV1.GetCalendarRequest, slaV1.GetCalendarResponse>;
  listCalendars: Unary<slaV1.ListCalendarsRequest, slaV1.ListCalendarsResponse>;
  updateCalendar: Unary<slaV1.UpdateCalendarRequest, slaV1.UpdateCalendarResponse>;
  computeDue: Unary<slaV1.ComputeDueRequest, slaV1.ComputeDueResponse>;
  createPolicy: Unary<slaV1.CreatePolicyRequest, slaV1.CreatePolicyResponse>;
  getPolicy: Unary<slaV1.GetPolicyRequest, slaV1.GetPolicyResponse>;
  listPolicies: Unary<slaV1.ListPoliciesRequest, slaV1.ListPoliciesResponse>;
  updatePolicy: Unary<slaV1.UpdatePolicyRequest, slaV1.UpdatePolicyResponse>;
  getTicketSla: Unary<slaV1.GetTicketSlaRequest, slaV1.GetTicketSlaResponse>;
  resetTicketSla: Unary<slaV1.ResetTicketSlaRequest, slaV1.ResetTicketSlaResponse>;
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

import type {
  attachmentV1,
  automationV1,
  directoryV1,
  identityV1,
  mailV1,
  notificationV1,
  notificationFeedV1,
  reportingV1,
  slaV1,
  templateV1,
  ticketSettingsV1,
  ticketV1,
  timekeepingV1,
  webhookV1,
} from '@helpdesk/contracts';
import type { PromiseClient } from '@helpdesk/grpc';

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
  getTeam: Unary<identityV1.GetTeamRequest, identityV1.GetTeamResponse>;
  getTenant: Unary<identityV1.GetTenantRequest, identityV1.GetTenantResponse>;
  getTenantBySlug: Unary<identityV1.GetTenantBySlugRequest, identityV1.GetTenantBySlugResponse>;
  updateTenant: Unary<identityV1.UpdateTenantRequest, identityV1.UpdateTenantResponse>;
  createTeam: Unary<identityV1.CreateTeamRequest, identityV1.CreateTeamResponse>;
  createApiKey: Unary<identityV1.CreateApiKeyRequest, identityV1.CreateApiKeyResponse>;
  listApiKeys: Unary<identityV1.ListApiKeysRequest, identityV1.ListApiKeysResponse>;
  revokeApiKey: Unary<identityV1.RevokeApiKeyRequest, identityV1.RevokeApiKeyResponse>;
}

/** The ticket service's TicketService as the gateway uses it (every unary RPC, promise-returning). */
export type TicketPort = Omit<PromiseClient<ticketV1.TicketServiceClient>, 'close'>;

/** The mail-ingest service as the gateway uses it. */
export interface MailPort {
  createMailbox: Unary<mailV1.CreateMailboxRequest, mailV1.CreateMailboxResponse>;
  getMailbox: Unary<mailV1.GetMailboxRequest, mailV1.GetMailboxResponse>;
  listMailboxes: Unary<mailV1.ListMailboxesRequest, mailV1.ListMailboxesResponse>;
  updateMailbox: Unary<mailV1.UpdateMailboxRequest, mailV1.UpdateMailboxResponse>;
  deleteMailbox: Unary<mailV1.DeleteMailboxRequest, mailV1.DeleteMailboxResponse>;
  /** Logs in to the mailbox's servers: give it `deadlineMs` beyond an ordinary call's. */
  testMailbox(
    request: mailV1.TestMailboxRequest,
    opts?: { deadlineMs?: number },
  ): Promise<mailV1.TestMailboxResponse>;
  getInboundMail: Unary<mailV1.GetInboundMailRequest, mailV1.GetInboundMailResponse>;
  listQuarantine: Unary<mailV1.ListQuarantineRequest, mailV1.ListQuarantineResponse>;
  retryQuarantined: Unary<mailV1.RetryQuarantinedRequest, mailV1.RetryQuarantinedResponse>;
  /** Both may wait for the provider's discovery or token endpoint: give them `deadlineMs` beyond an ordinary call's. */
  startMailboxOAuth(
    request: mailV1.StartMailboxOAuthRequest,
    opts?: { deadlineMs?: number },
  ): Promise<mailV1.StartMailboxOAuthResponse>;
  completeMailboxOAuth(
    request: mailV1.CompleteMailboxOAuthRequest,
    opts?: { deadlineMs?: number },
  ): Promise<mailV1.CompleteMailboxOAuthResponse>;
  /** Streams the raw message to mail-ingest (client streaming). */
  pushRawMail(header: mailV1.PushRawMailHeader, raw: Buffer): Promise<mailV1.PushRawMailResponse>;
  /** Resolves once the metadata arrived (so NOT_FOUND comes before any byte); then the raw source streams. */
  streamRawMail(
    request: mailV1.StreamRawMailRequest,
  ): Promise<{ size: number; content: AsyncIterable<Buffer> }>;
}

/** The notification service as the gateway uses it (e-mail it sends on the gateway's behalf). */
export interface NotificationPort {
  sendPortalMagicLink: Unary<
    notificationV1.SendPortalMagicLinkRequest,
    notificationV1.SendPortalMagicLinkResponse
  >;
}

/** The automation service (rules, dry runs, runs) as the gateway uses it. */
export type AutomationPort = Omit<PromiseClient<automationV1.AutomationServiceClient>, 'close'>;
/** The notification service's NotificationFeedService (the caller's notifications and preferences). */
export type NotificationFeedPort = Omit<
  PromiseClient<notificationFeedV1.NotificationFeedServiceClient>,
  'close'
>;
/** The notification service's WebhookService (every unary RPC, promise-returning). */
export type WebhookPort = Omit<PromiseClient<webhookV1.WebhookServiceClient>, 'close'>;

/** The ticket service's DirectoryService (clients and contacts, portal sign-in) as the gateway uses it. */
export type DirectoryPort = Omit<PromiseClient<directoryV1.DirectoryServiceClient>, 'close'>;

/** The ticket service's TemplateService. */
export type TemplatePort = Omit<PromiseClient<templateV1.TemplateServiceClient>, 'close'>;

/** The ticket service's TicketSettingsService. */
export type TicketSettingsPort = Omit<PromiseClient<ticketSettingsV1.TicketSettingsServiceClient>, 'close'>;

/** The ticket service's AttachmentService: files streamed in and out. */
export interface AttachmentPort {
  upload(
    header: attachmentV1.UploadAttachmentHeader,
    content: AsyncIterable<Buffer>,
  ): Promise<ticketV1.Attachment>;
  /** Resolves once the metadata arrived (so NOT_FOUND comes before any byte); then the content streams. */
  download(
    request: attachmentV1.DownloadAttachmentRequest,
  ): Promise<{ attachment: ticketV1.Attachment; content: AsyncIterable<Buffer> }>;
}

/** The reporting service as the gateway uses it (every unary RPC, promise-returning). */
export type ReportingPort = Omit<PromiseClient<reportingV1.ReportingServiceClient>, 'close'>;

/** The timekeeping service as the gateway uses it (every unary RPC, promise-returning). */
export type TimekeepingPort = Omit<PromiseClient<timekeepingV1.TimekeepingServiceClient>, 'close'>;

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
  /** Takes back one hit on `key` (never below zero); the window keeps its end. */
  release(key: string): Promise<void>;
  /** Forgets `key`'s count. */
  clear(key: string): Promise<void>;
}

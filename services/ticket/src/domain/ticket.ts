// The ticket entity and its value objects. Pure: no I/O, no framework imports.

export const TICKET_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const DEFAULT_PRIORITY: TicketPriority = 'medium';

export const TICKET_SOURCES = ['email', 'portal', 'web_form', 'agent', 'api', 'phone'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export const ACTOR_TYPES = ['user', 'api_key', 'contact', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who performed a command; `id` is null for the platform itself. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface Requester {
  email: string;
  name: string;
}

export const TITLE_MAX_LENGTH = 300;
export const DESCRIPTION_MAX_LENGTH = 100_000;
export const FIRST_TICKET_NUMBER = 1001;

export interface Ticket {
  id: string;
  tenantId: string;
  number: number;
  title: string;
  descriptionHtml: string;
  descriptionText: string;
  status: TicketStatus;
  priority: TicketPriority;
  source: TicketSource;
  raisedBy: string;
  requester: Requester;
  createdBy: Actor;
  openedAt: Date;
  updatedAt: Date;
  version: number;
}

export class TicketRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TicketRuleError';
  }
}

export function isTicketStatus(value: string): value is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(value);
}

export function isTicketPriority(value: string): value is TicketPriority {
  return (TICKET_PRIORITIES as readonly string[]).includes(value);
}

export function isTicketSource(value: string): value is TicketSource {
  return (TICKET_SOURCES as readonly string[]).includes(value);
}

/** Trims and checks a title: 1 to 300 characters after trimming; inner runs of whitespace collapse to one space. */
export function normalizeTitle(raw: string): string {
  const title = raw.replace(/\s+/g, ' ').trim();
  if (title.length === 0) throw new TicketRuleError('title', 'title must not be empty');
  if (title.length > TITLE_MAX_LENGTH) {
    throw new TicketRuleError('title', `title must be at most ${TITLE_MAX_LENGTH} characters`);
  }
  return title;
}

/** The source a ticket gets when the caller names none, by who creates it. */
export function defaultSourceFor(actor: ActorType): TicketSource {
  switch (actor) {
    case 'user':
      return 'agent';
    case 'contact':
      return 'portal';
    case 'api_key':
    case 'system':
      return 'api';
  }
}

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export interface NewTicketProps {
  id: string;
  tenantId: string;
  number: number;
  title: string;
  descriptionHtml: string;
  descriptionText: string;
  priority?: TicketPriority;
  source?: TicketSource;
  requester: Requester;
  createdBy: Actor;
  now: Date;
}

/** A ticket as it is opened: status `open`, version 1, raised by the requester. */
export function openTicket(props: NewTicketProps): Ticket {
  if (!Number.isSafeInteger(props.number) || props.number < 1) {
    throw new TicketRuleError('number', 'ticket number must be a positive integer');
  }
  const email = normalizeEmail(props.requester.email);
  if (email.length === 0) throw new TicketRuleError('requester.email', 'requester e-mail is required');
  return {
    id: props.id,
    tenantId: props.tenantId,
    number: props.number,
    title: normalizeTitle(props.title),
    descriptionHtml: props.descriptionHtml,
    descriptionText: props.descriptionText,
    status: 'open',
    priority: props.priority ?? DEFAULT_PRIORITY,
    source: props.source ?? defaultSourceFor(props.createdBy.type),
    raisedBy: email,
    requester: { email, name: props.requester.name.trim() },
    createdBy: props.createdBy,
    openedAt: props.now,
    updatedAt: props.now,
    version: 1,
  };
}

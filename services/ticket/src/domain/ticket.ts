// The ticket entity and its value objects. Pure: no I/O, no framework imports.
import { TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from '@helpdesk/contracts';
import { DirectoryRuleError, normalizeEmail as validEmail } from './directory/directory-rules';

export { TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES };

export type TicketStatus = (typeof TICKET_STATUSES)[number];

export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const DEFAULT_PRIORITY: TicketPriority = 'medium';

export type TicketSource = (typeof TICKET_SOURCES)[number];

export const ACTOR_TYPES = ['user', 'api_key', 'contact', 'system', 'automation'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who performed a command; `id` is null for the platform itself, the rule's id for an automation rule. */
export interface Actor {
  type: ActorType;
  id: string | null;
  /**
   * For an automation actor: the chain of rule firings the change belongs to (docs/adr/0030). Never stored; it is
   * carried onto the events of the change, so the automation service sees how the change came about.
   */
  causation?: { originId: string; depth: number };
}

export interface Requester {
  email: string;
  name: string;
}

export const TITLE_MAX_LENGTH = 300;
export const DESCRIPTION_MAX_LENGTH = 100_000;
export const FIRST_TICKET_NUMBER = 1001;

/** Free references to records outside the help desk (docs/product/tickets.md `links`). */
export interface TicketLinks {
  project: string | null;
  lead: string | null;
}

export const SLA_TARGET_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type SlaTargetStateName = (typeof SLA_TARGET_STATES)[number];

export interface SlaTargetState {
  state: SlaTargetStateName;
  breachedAt: Date | null;
  metAt: Date | null;
}

/** The SLA service's last word on a ticket (docs/product/sla.md `sla`); this service only stores and shows it. */
export interface TicketSla {
  policyId: string;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponse: SlaTargetState;
  resolution: SlaTargetState;
  /** A warning was raised for a target that is neither met nor breached. */
  warning: boolean;
}

export interface TicketRating {
  score: number;
  comment: string;
  ratedAt: Date;
}

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
  type: string | null;
  category: string | null;
  clientId: string | null;
  contactId: string | null;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  cc: string[];
  links: TicketLinks;
  templateId: string | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  resolutionDetails: string | null;
  closedAt: Date | null;
  lastCustomerReplyAt: Date | null;
  lastAgentReplyAt: Date | null;
  mergedIntoId: string | null;
  followUpOfId: string | null;
  sla: TicketSla | null;
  timeSpentMinutes: number;
  rating: TicketRating | null;
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
    case 'automation':
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
  type?: string | null;
  category?: string | null;
  clientId?: string | null;
  contactId?: string | null;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: readonly string[];
  cc?: readonly string[];
  links?: Partial<TicketLinks>;
  templateId?: string | null;
  followUpOfId?: string | null;
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
    type: props.type ?? null,
    category: props.category ?? null,
    clientId: props.clientId ?? null,
    contactId: props.contactId ?? null,
    assigneeId: props.assigneeId ?? null,
    teamId: props.teamId ?? null,
    tags: normalizeTags(props.tags ?? []),
    cc: normalizeCc(props.cc ?? [], email),
    links: normalizeLinks(props.links ?? {}),
    templateId: props.templateId ?? null,
    firstRespondedAt: null,
    resolvedAt: null,
    resolutionDetails: null,
    closedAt: null,
    lastCustomerReplyAt: null,
    lastAgentReplyAt: null,
    mergedIntoId: null,
    followUpOfId: props.followUpOfId ?? null,
    sla: null,
    timeSpentMinutes: 0,
    rating: null,
  };
}

export const TAGS_MAX = 50;
export const TAG_MAX_LENGTH = 50;
export const CC_MAX = 50;
export const LINK_MAX_LENGTH = 500;
export const RESOLUTION_DETAILS_MAX_LENGTH = 10_000;

const TAG_RE = /^[\p{L}\p{N}][\p{L}\p{N}_.:/+-]*$/u;

/** Tags are lower-cased, trimmed, de-duplicated in the caller's order; letters, digits and `_.:/+-` only. */
export function normalizeTags(raw: readonly string[]): string[] {
  const tags = [...new Set(raw.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
  if (tags.length > TAGS_MAX) throw new TicketRuleError('tags', `at most ${TAGS_MAX} tags`);
  for (const tag of tags) {
    if (tag.length > TAG_MAX_LENGTH || !TAG_RE.test(tag)) {
      throw new TicketRuleError(
        'tags',
        `"${tag.slice(0, 60)}" is not a tag: up to ${TAG_MAX_LENGTH} letters, digits or _.:/+- , starting with a letter or digit`,
      );
    }
  }
  return tags;
}

/** Copied addresses: validated, lower-cased, de-duplicated, without the requester (who gets every reply anyway). */
export function normalizeCc(raw: readonly string[], requesterEmail?: string): string[] {
  const cc = [
    ...new Set(
      raw
        .filter((e) => e.trim().length > 0)
        .map((e) => {
          try {
            return validEmail(e, 'cc');
          } catch (err) {
            if (err instanceof DirectoryRuleError)
              throw new TicketRuleError('cc', `"${e.slice(0, 100)}" is ${err.message}`);
            throw err;
          }
        }),
    ),
  ].filter((e) => e !== requesterEmail);
  if (cc.length > CC_MAX) throw new TicketRuleError('cc', `at most ${CC_MAX} addresses`);
  return cc;
}

export function normalizeLinks(raw: Partial<TicketLinks>): TicketLinks {
  const one = (value: string | null | undefined, field: keyof TicketLinks): string | null => {
    const v = (value ?? '').trim();
    if (v.length > LINK_MAX_LENGTH)
      throw new TicketRuleError(`links.${field}`, `at most ${LINK_MAX_LENGTH} characters`);
    return v === '' ? null : v;
  };
  return { project: one(raw.project, 'project'), lead: one(raw.lead, 'lead') };
}

export function checkResolutionDetails(raw: string): string | null {
  if (raw.length > RESOLUTION_DETAILS_MAX_LENGTH) {
    throw new TicketRuleError('resolutionDetails', `at most ${RESOLUTION_DETAILS_MAX_LENGTH} characters`);
  }
  const details = raw.trim();
  return details === '' ? null : details;
}

/**
 * The `slaState` filter of a ticket's SLA (docs/product/tickets.md "Search and lists"): breached if any
 * target is, else warning while one was warned.
 */
export function slaStateOf(sla: TicketSla | null): 'breached' | 'warning' | null {
  if (!sla) return null;
  if (sla.firstResponse.state === 'breached' || sla.resolution.state === 'breached') return 'breached';
  return sla.warning ? 'warning' : null;
}

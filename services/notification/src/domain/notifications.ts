// Who gets which notification (SPEC §6): pure rules over the facts of one event. The app resolves the audiences
// (team members, admins) and applies the preferences.
import { EMAIL_ON_BY_DEFAULT, NOTIFICATION_TYPES, type NotificationType } from '@helpdesk/contracts';

export { isNotificationType, NOTIFICATION_TYPES, type NotificationType } from '@helpdesk/contracts';

export type ActorKind = 'user' | 'contact' | 'api_key' | 'automation' | 'system';

export interface NotificationActor {
  type: ActorKind;
  /** The principal's id (a rule's for automation); empty for the system. */
  id: string;
  /** Display name; empty when unknown. */
  name: string;
}

/** The ticket fields the rules read. */
export interface TicketFacts {
  id: string;
  number: number;
  title: string;
  assigneeId: string | null;
  teamId: string | null;
}

/** Who a notification goes to, before team members and admins are looked up. */
export type Audience =
  | { kind: 'users'; userIds: string[] }
  | { kind: 'team'; teamId: string }
  | { kind: 'admins' }
  /** The first of the steps that has anyone in it (assignee, else team, else admins). */
  | { kind: 'first'; steps: Audience[] }
  /** Everyone of every part, once. */
  | { kind: 'all'; parts: Audience[] };

export interface NotificationDecision {
  type: NotificationType;
  audience: Audience;
  /** Never notified by this decision (the actor of their own change). */
  except: string[];
  title: string;
  body: string;
}

/** The facts of one event that may notify someone. */
export type NotificationTrigger =
  | {
      kind: 'assignment';
      ticket: TicketFacts;
      previousAssigneeId: string | null;
      previousTeamId: string | null;
      actor: NotificationActor;
    }
  | {
      kind: 'message';
      ticket: TicketFacts;
      /** `email_in`, `email_out`, `public_reply`, `internal_note` or `system`. */
      messageKind: string;
      author: NotificationActor;
      mentions: string[];
      bodyText: string;
    }
  | {
      kind: 'sla';
      ticket: TicketFacts;
      level: 'warning' | 'breached';
      /** `first_response` or `resolution`. */
      target: string;
    }
  | {
      kind: 'automation';
      ticket: TicketFacts;
      userIds: string[];
      teamId: string | null;
      admins: boolean;
      message: string;
      ruleName: string;
    }
  | {
      /** The platform disabled a webhook endpoint: a 410 answer, or every delivery failed for 5 days. */
      kind: 'webhook_disabled';
      endpointId: string;
      url: string;
      reason: 'gone' | 'failing';
      /** Since when its deliveries have been failing (the `failing` reason). */
      failingSince: Date | null;
      at: Date;
    }
  | {
      /** A mailbox's OAuth2 refresh was refused for good (mail-ingest's `mailbox_needs_reauthorization`). */
      kind: 'mailbox_reauthorization';
      mailboxId: string;
      name: string;
      address: string;
      provider: string;
      /** The provider's reason. */
      reason: string;
    };

const EXCERPT_MAX = 280;

/** The first characters of a text on one line, for a notification's body. */
export function excerpt(text: string, max = EXCERPT_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

function ref(ticket: TicketFacts): string {
  return `#${ticket.number}`;
}

function byWhom(actor: NotificationActor): string {
  return actor.name ? ` by ${actor.name}` : '';
}

/** Only agents' own actions are theirs to skip; a contact or the platform never is a recipient. */
function selfOf(actor: NotificationActor): string[] {
  return actor.type === 'user' && actor.id ? [actor.id] : [];
}

function assigneeElseTeam(ticket: TicketFacts): Audience[] {
  const steps: Audience[] = [];
  if (ticket.assigneeId) steps.push({ kind: 'users', userIds: [ticket.assigneeId] });
  if (ticket.teamId) steps.push({ kind: 'team', teamId: ticket.teamId });
  return steps;
}

/** The notifications one event raises, each with its audience; none for events that notify nobody. */
export function decideNotifications(trigger: NotificationTrigger): NotificationDecision[] {
  switch (trigger.kind) {
    case 'assignment':
      return assignment(trigger);
    case 'message':
      return message(trigger);
    case 'sla':
      return [
        {
          type: trigger.level === 'warning' ? 'sla_warning' : 'sla_breached',
          audience: { kind: 'first', steps: [...assigneeElseTeam(trigger.ticket), { kind: 'admins' }] },
          except: [],
          title:
            trigger.level === 'warning'
              ? `${ref(trigger.ticket)} ${targetName(trigger.target)} is due soon`
              : `${ref(trigger.ticket)} ${targetName(trigger.target)} target breached`,
          body: trigger.ticket.title,
        },
      ];
    case 'webhook_disabled':
      return [webhookDisabled(trigger)];
    case 'mailbox_reauthorization':
      return [
        {
          type: 'mailbox_reauthorization',
          audience: { kind: 'admins' },
          except: [],
          title: `Mailbox ${mailboxLabel(trigger)} needs a new sign-in`,
          // the provider's reason is cut, never what to do
          body:
            `${providerName(trigger.provider)} refused to renew its access: ` +
            `${excerpt(trigger.reason || 'no reason given', 400).replace(/\.+$/, '')}. ` +
            'It reads and sends no mail until an admin signs it in again ' +
            `(POST /api/v1/mailboxes/${trigger.mailboxId}/oauth/start).`,
        },
      ];
    case 'automation': {
      const parts: Audience[] = [];
      if (trigger.userIds.length > 0) parts.push({ kind: 'users', userIds: trigger.userIds });
      if (trigger.teamId) parts.push({ kind: 'team', teamId: trigger.teamId });
      if (trigger.admins) parts.push({ kind: 'admins' });
      if (parts.length === 0) return [];
      return [
        {
          type: 'automation',
          audience: { kind: 'all', parts },
          except: [],
          title: `${ref(trigger.ticket)} ${trigger.ruleName || 'Automation'}`,
          body: excerpt(trigger.message || trigger.ticket.title),
        },
      ];
    }
  }
}

function assignment(trigger: Extract<NotificationTrigger, { kind: 'assignment' }>): NotificationDecision[] {
  const { ticket, actor } = trigger;
  const out: NotificationDecision[] = [];
  // assigned to a user, by anyone but that user
  if (ticket.assigneeId && ticket.assigneeId !== trigger.previousAssigneeId) {
    if (!(actor.type === 'user' && actor.id === ticket.assigneeId)) {
      out.push({
        type: 'assigned',
        audience: { kind: 'users', userIds: [ticket.assigneeId] },
        except: [],
        title: `${ref(ticket)} assigned to you${byWhom(actor)}`,
        body: ticket.title,
      });
    }
  }
  // created for, or moved to, a team with no assignee
  if (!ticket.assigneeId && ticket.teamId && ticket.teamId !== trigger.previousTeamId) {
    out.push({
      type: 'team_ticket',
      audience: { kind: 'team', teamId: ticket.teamId },
      except: selfOf(actor),
      title: `${ref(ticket)} is waiting for your team`,
      body: ticket.title,
    });
  }
  return out;
}

function message(trigger: Extract<NotificationTrigger, { kind: 'message' }>): NotificationDecision[] {
  const { ticket, author } = trigger;
  const out: NotificationDecision[] = [];
  const isNote = trigger.messageKind === 'internal_note';
  // the ticket service records mentions of agents' notes and public replies only
  if (trigger.mentions.length > 0 && (isNote || trigger.messageKind === 'public_reply')) {
    out.push({
      type: 'mentioned',
      audience: { kind: 'users', userIds: [...new Set(trigger.mentions)] },
      except: selfOf(author),
      title: `${author.name || 'Someone'} mentioned you on ${ref(ticket)}${isNote ? ' (internal note)' : ''}`,
      body: excerpt(trigger.bodyText),
    });
  }
  const fromCustomer =
    author.type === 'contact' &&
    (trigger.messageKind === 'email_in' || trigger.messageKind === 'public_reply');
  if (fromCustomer) {
    const steps = assigneeElseTeam(ticket);
    if (steps.length > 0) {
      out.push({
        type: 'customer_replied',
        audience: { kind: 'first', steps },
        except: [],
        title: `${author.name || 'The customer'} replied on ${ref(ticket)}`,
        body: excerpt(trigger.bodyText),
      });
    }
  }
  return out;
}

/**
 * A webhook URL as a notification shows it: scheme, host and path. The query and any credentials stay out, since
 * receivers put tokens there and the notification may go out by e-mail.
 */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'the endpoint';
  }
}

function webhookDisabled(
  trigger: Extract<NotificationTrigger, { kind: 'webhook_disabled' }>,
): NotificationDecision {
  const url = displayUrl(trigger.url);
  const why =
    trigger.reason === 'gone'
      ? 'The receiver answered 410 Gone, which asks for no more deliveries.'
      : `Every delivery to it has failed since ${(trigger.failingSince ?? trigger.at).toISOString()} (5 days).`;
  return {
    type: 'webhook_disabled',
    audience: { kind: 'admins' },
    except: [],
    title: `Webhook ${url} disabled`,
    body:
      `${why} Nothing more is delivered to it; once the receiver works, an admin enables it again ` +
      `(PATCH /api/v1/webhooks/${trigger.endpointId} with {"active": true}) and may retry its failed deliveries.`,
  };
}

function mailboxLabel(trigger: { name: string; address: string }): string {
  if (trigger.name && trigger.address) return `${trigger.name} <${trigger.address}>`;
  return trigger.address || trigger.name || 'of the tenant';
}

function providerName(provider: string): string {
  if (provider === 'microsoft') return 'Microsoft';
  if (provider === 'google') return 'Google';
  return 'The OAuth2 provider';
}

function targetName(target: string): string {
  return target === 'first_response' ? 'first response' : target === 'resolution' ? 'resolution' : 'SLA';
}

/** What resolving an audience looks up: active users only, so that a step of inactive users falls through. */
export interface AudienceLookup {
  isActive(userId: string): boolean;
  /** The team's active members. */
  team(teamId: string): string[];
  /** The tenant's active admins. */
  admins(): string[];
}

/** The users of an audience once it is looked up: active ones, distinct, in audience order. */
export function resolveAudience(audience: Audience, lookup: AudienceLookup): string[] {
  switch (audience.kind) {
    case 'users':
      return [...new Set(audience.userIds.filter((id) => lookup.isActive(id)))];
    case 'team':
      return [...new Set(lookup.team(audience.teamId))];
    case 'admins':
      return [...new Set(lookup.admins())];
    case 'first':
      for (const step of audience.steps) {
        const ids = resolveAudience(step, lookup);
        if (ids.length > 0) return ids;
      }
      return [];
    case 'all':
      return [...new Set(audience.parts.flatMap((p) => resolveAudience(p, lookup)))];
  }
}

/** The team and admin lookups an audience needs, so the app can load them before resolving. */
export function lookupsOf(audience: Audience): { teams: string[]; admins: boolean } {
  switch (audience.kind) {
    case 'users':
      return { teams: [], admins: false };
    case 'team':
      return { teams: [audience.teamId], admins: false };
    case 'admins':
      return { teams: [], admins: true };
    case 'first':
    case 'all': {
      const parts = (audience.kind === 'first' ? audience.steps : audience.parts).map(lookupsOf);
      return { teams: parts.flatMap((p) => p.teams), admins: parts.some((p) => p.admins) };
    }
  }
}

// --- preferences ---

export type Channel = 'inApp' | 'email';
export type ChannelSwitches = Record<NotificationType, boolean>;
export interface Preferences {
  inApp: ChannelSwitches;
  email: ChannelSwitches;
}

/**
 * SPEC §6: in-app on and e-mail off, except `sla_breached` by e-mail on; and (ADR 42) the admins' `webhook_disabled`
 * and `mailbox_reauthorization` by e-mail on, since someone must act on them.
 */
export function defaultPreferences(): Preferences {
  const inApp = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, true])) as ChannelSwitches;
  const email = Object.fromEntries(
    NOTIFICATION_TYPES.map((t) => [t, EMAIL_ON_BY_DEFAULT.includes(t)]),
  ) as ChannelSwitches;
  return { inApp, email };
}

export type StoredSwitches = Partial<Record<string, boolean>>;

/** The stored switches over the defaults; unknown types in storage are ignored. */
export function effectivePreferences(
  stored: { inApp: StoredSwitches; email: StoredSwitches } | null,
): Preferences {
  const prefs = defaultPreferences();
  if (!stored) return prefs;
  for (const channel of ['inApp', 'email'] as const) {
    for (const type of NOTIFICATION_TYPES) {
      const value = stored[channel][type];
      if (typeof value === 'boolean') prefs[channel][type] = value;
    }
  }
  return prefs;
}

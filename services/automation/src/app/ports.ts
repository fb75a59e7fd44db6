// What the use cases need from the outside world; adapters live in src/infra.
import type { Action, Rule, RuleDefinition } from '../domain/rule';
import type { TicketFacts } from '../domain/conditions';
import type { TicketPatch } from '../domain/actions';
import type { Origin, SkipReason } from '../domain/firing';
import type { TicketClock } from '../domain/time-rules';

/** Who changes a rule (kept with each version). */
export interface RuleActor {
  type: string;
  id: string;
}

/** Keyset position of a rule list: (position, createdAt, id). */
export interface RuleCursor {
  position: number;
  createdAt: Date;
  id: string;
}

/** A tenant's rules; every method is scoped by tenant. */
export interface RuleRepository {
  /** Rules not deleted, in position order, after `after`. */
  list(tenantId: string, limit: number, after?: RuleCursor): Promise<Rule[]>;
  find(tenantId: string, id: string): Promise<Rule | null>;
  /** The position after the tenant's last rule. */
  nextPosition(tenantId: string): Promise<number>;
  /** Inserts the rule and its version 1, with its schedule (a schedule rule's; null for the others). */
  insert(rule: Rule, actor: RuleActor, schedule: ScheduleState | null): Promise<void>;
  /**
   * Stores the next version and its schedule, which `reschedule` works out from the schedule as stored, read under
   * the row's lock in the same transaction (so an occurrence the timer loop fires meanwhile is seen, not undone);
   * null drops it. False when the rule is no longer at `previousVersion` (or gone).
   */
  update(rule: Rule, previousVersion: number, actor: RuleActor, reschedule: Reschedule): Promise<boolean>;
  /** Marks the rule deleted (and drops its schedule); false when it is no longer at `previousVersion` (or gone). */
  delete(tenantId: string, id: string, previousVersion: number, at: Date): Promise<boolean>;
  /** The tenant's IANA zone as identity announced it; null when not known yet. */
  timeZoneOf(tenantId: string): Promise<string | null>;
  /** A schedule rule's schedule as stored; null for none. */
  scheduleOf(tenantId: string, ruleId: string): Promise<ScheduleState | null>;
}

/** A schedule rule's recurrence as stored: the RRULE anchored in its zone, and the occurrence to create next. */
export interface ScheduleState {
  rrule: string;
  timezone: string;
  /** The recurrence's DTSTART. */
  anchorAt: Date;
  /** null: no occurrence left, or the rule is switched off. */
  nextAt: Date | null;
  /** The latest occurrence fired (null: none yet): no later save goes back to it or before. */
  lastOccurrenceAt: Date | null;
}

/** A rule's schedule as it is to be saved, from the one stored (null: none). */
export type Reschedule = (stored: ScheduleState | null) => ScheduleState | null;

/** A schedule whose next occurrence fell due, locked by this transaction. */
export interface DueSchedule extends ScheduleState {
  tenantId: string;
  ruleId: string;
  nextAt: Date;
}

/** A triggering event as the bus carried it (the envelope of SPEC §10 without `traceparent`). */
export interface TriggerEnvelope {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  data: unknown;
}

/** An action as a fired run keeps it: placeholders filled; a `webhook` action with the event it sends. */
export type PlannedAction = Action & { event?: TriggerEnvelope };

/** A run as it is written: fired (with the actions to apply) or skipped (with its reason). */
export interface NewRun {
  id: string;
  tenantId: string;
  rule: Pick<Rule, 'id' | 'version' | 'name'>;
  ticketId: string | null;
  /** The ticket's number as the rule saw it; null without a ticket. */
  ticketNumber: number | null;
  triggerType: 'event' | 'time' | 'schedule';
  eventId: string;
  outcome: 'fired' | 'skipped';
  reason: SkipReason | null;
  planned: PlannedAction[];
  origin: Origin;
  at: Date;
  /** A fired run's `helpdesk.automation.rule_fired`, written to the outbox with the run; null for a skipped one. */
  firedEvent: TriggerEnvelope | null;
}

export interface ActionOutcome {
  type: string;
  result: 'ok' | 'failed' | 'pending';
  error: string | null;
}

export interface RunRecord {
  id: string;
  tenantId: string;
  ruleId: string;
  ruleVersion: number;
  ticketId: string | null;
  triggerType: string;
  eventId: string;
  outcome: 'fired' | 'skipped';
  reason: string | null;
  actions: ActionOutcome[];
  at: Date;
}

/** A fired run whose actions are being applied. */
export interface PendingRun {
  id: string;
  tenantId: string;
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  ticketId: string | null;
  ticketNumber: number | null;
  triggerType: NewRun['triggerType'];
  eventId: string;
  /** When the rule fired. */
  at: Date;
  planned: PlannedAction[];
  results: ActionOutcome[];
  origin: Origin;
  attempts: number;
}

/** The engine's writes inside one transaction (a consumer's inbox transaction, or a timer's). */
export interface EngineTransaction {
  /** The tenant's active rules whose event trigger lists `event`. */
  listening(tenantId: string, event: string): Promise<Rule[]>;
  /** The rules among `ruleIds` that already fired on the ticket for this origin. */
  firedAlready(ticketId: string, originId: string, ruleIds: readonly string[]): Promise<Set<string>>;
  /** Records the firing; false when it was recorded already (another replica was first). */
  recordFiring(
    tenantId: string,
    ruleId: string,
    ticketId: string,
    originId: string,
    at: Date,
  ): Promise<boolean>;
  /** Writes a run and counts it on its rule. */
  insertRun(run: NewRun): Promise<void>;
  /** Writes the runs in this order (the action worker applies them so) and counts each on its rule. */
  insertRuns(runs: readonly NewRun[]): Promise<void>;
  /** Wakes every replica's action worker once the transaction commits. */
  signalRuns(): Promise<void>;
  /** The tenant's active time rules. */
  timeRules(tenantId: string): Promise<Rule[]>;
  /** One rule of the tenant, deleted or not (null when there is none). */
  findRule(tenantId: string, id: string): Promise<Rule | null>;
  /**
   * Keeps what the time rules need of a ticket from its event (only when newer than what is kept) and answers it:
   * the status is entered at `at` when `statusChanged`, activity happened at `at`.
   */
  trackTicket(
    tenantId: string,
    ticketId: string,
    version: number,
    at: Date,
    statusChanged: boolean,
  ): Promise<TicketClock>;
  /** Arms the rule's timer on the ticket for `sinceAt`, unless it already fired for that very instant. */
  arm(tenantId: string, ruleId: string, ticketId: string, sinceAt: Date, dueAt: Date): Promise<boolean>;
  /** Cancels the rule's armed timer on the ticket (a fired one keeps its instant). */
  cancel(ruleId: string, ticketId: string): Promise<void>;
  /** Locks up to `limit` timers due at `now`, earliest first, skipping those another replica holds. */
  lockDue(now: Date, limit: number): Promise<DueTimer[]>;
  /** The timer fired for its instant: it waits for the next one. */
  markFired(ruleId: string, ticketId: string): Promise<void>;
  /** Tells every replica's timer loop, once the transaction commits, that something is due at `at`. */
  signalDue(at: Date): Promise<void>;
  /** Locks up to `limit` schedules due at `now`, earliest first, skipping those another replica holds. */
  lockDueSchedules(now: Date, limit: number): Promise<DueSchedule[]>;
  /** Moves a locked schedule to its next occurrence (null: none), `fired` the occurrence just fired (if one was). */
  advanceSchedule(ruleId: string, nextAt: Date | null, fired?: Date): Promise<void>;
}

/** A time rule's timer that fell due. */
export interface DueTimer {
  tenantId: string;
  ruleId: string;
  ticketId: string;
  sinceAt: Date;
  dueAt: Date;
}

/** Business time from the SLA service (its calendars; this service never counts it itself). */
export interface BusinessTime {
  /** The instant `minutes` business minutes after `from` in the calendar of the policy; null for none (24×7). */
  due(tenantId: string, policyId: string | null, from: Date, minutes: number): Promise<Date | null>;
}

export interface EngineUnitOfWork {
  run<T>(work: (tx: EngineTransaction) => Promise<T>): Promise<T>;
}

/** The run log and the action worker's queue. */
export interface RunRepository {
  list(query: {
    tenantId: string;
    ruleId?: string;
    ticketId?: string;
    limit: number;
    after?: { at: Date; id: string };
  }): Promise<RunRecord[]>;
  /** Takes up to `limit` pending runs for `leaseMs` (skipping runs another replica holds). */
  claim(limit: number, leaseMs: number): Promise<PendingRun[]>;
  /**
   * Stores the results so far; `completed` (the run's `helpdesk.automation.run_completed`) ends the run and is
   * written to the outbox in that transaction, once: a run already done is left as it is.
   */
  saveResults(id: string, results: ActionOutcome[], completed: TriggerEnvelope | null): Promise<void>;
  /** Stores the result of a `notify` action and writes its event in one transaction (see saveResults). */
  saveWithNotify(
    id: string,
    results: ActionOutcome[],
    completed: TriggerEnvelope | null,
    notify: NotifyRequest,
  ): Promise<void>;
  /** Deletes runs and firings older than `before`; answers how many runs went. */
  purge(before: Date): Promise<number>;
}

/** `helpdesk.automation.notify_requested` (proto/helpdesk/automation/v1/events.proto). */
export interface NotifyRequest {
  tenantId: string;
  ruleId: string;
  ruleName: string;
  ruleVersion: number;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  userIds: string[];
  teamId: string | null;
  admins: boolean;
  message: string;
}

/** The acting rule as the ticket service sees it. */
export interface AutomationActor {
  ruleId: string;
  origin: Origin;
}

/** A ticket-service failure a retry cannot fix (e.g. a workflow refusal) or a stale version. */
export class TicketCommandError extends Error {
  constructor(
    message: string,
    readonly code: 'stale' | 'not_found' | 'refused' | 'unavailable',
  ) {
    super(message);
    this.name = 'TicketCommandError';
  }
}

/** The ticket service over gRPC. */
export interface TicketCommands {
  get(tenantId: string, ticketId: string): Promise<TicketFacts | null>;
  /** UpdateTicket at `expectedVersion`; TicketCommandError `stale` when it moved on. */
  update(
    tenantId: string,
    ticketId: string,
    expectedVersion: number,
    patch: TicketPatch,
    actor: AutomationActor,
  ): Promise<TicketFacts>;
  /**
   * AddMessage; `dedupeKey` makes a retry answer the first message. `subject` is the e-mail subject of a public
   * reply the notification service mails to the requester (a rule's `send_email`).
   */
  addMessage(
    tenantId: string,
    ticketId: string,
    kind: 'internal_note' | 'public_reply',
    bodyText: string,
    dedupeKey: string,
    actor: AutomationActor,
    subject?: string,
  ): Promise<void>;
  /** CreateTicket; `dedupeKey` makes a retry answer the first ticket. */
  create(
    tenantId: string,
    input: {
      title: string;
      templateId?: string;
      clientId?: string;
      priority?: string;
      teamId?: string;
      assigneeId?: string;
      contactId?: string;
      requester?: { email: string; name: string };
    },
    dedupeKey: string,
    actor: AutomationActor,
  ): Promise<{ id: string; number: number }>;
  /**
   * The client's primary contact (the requester of a scheduled ticket, docs/adr/0045): its longest-standing
   * contact whose mail does not bounce, else its longest-standing one; null when the client has none (or is not
   * the tenant's).
   */
  primaryContact(tenantId: string, clientId: string): Promise<string | null>;
}

/** Teams from the identity service. */
export interface TeamDirectory {
  /** The active members of a team; null when the tenant has no such team. */
  activeMembers(tenantId: string, teamId: string): Promise<string[] | null>;
}

/** The round robins' memory: which member each team gave the last ticket to. */
export interface RoundRobinStore {
  /** Picks the next member with `pick` and stores it, atomically per team. */
  advance(
    tenantId: string,
    teamId: string,
    pick: (last: string | null) => string | null,
  ): Promise<string | null>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

export type { RuleDefinition };

/** A webhook action that cannot be delivered (no endpoint of the tenant, a disabled one): failed, not retried. */
export class WebhookRefusedError extends Error {}

/** The notification service's webhooks, as the engine uses them; always within one tenant. */
export interface WebhookDeliveries {
  /** Whether the tenant has an endpoint with this id. */
  exists(tenantId: string, webhookId: string): Promise<boolean>;
  /** Queues the event for that endpoint, once per (endpoint, event); WebhookRefusedError when it cannot be. */
  enqueue(tenantId: string, webhookId: string, event: TriggerEnvelope): Promise<void>;
}

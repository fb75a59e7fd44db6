// The action worker's work: the fired runs whose actions are still to be applied, one action after the other,
// through the services that own what they change (docs/product/automation.md "Actions"). Each result is stored as
// it comes, so a crash resumes at the first action not yet stored; the ticket service's dedupe keys make a note, a
// reply or a created ticket land once, a field change is the same change when repeated, and `notify` is written to
// the outbox with its result.
import type { Logger } from '@helpdesk/platform';
import { isEmptyPatch, nextInRoundRobin, patchFor } from '../domain/actions';
import { childOrigin } from '../domain/firing';
import type { Action } from '../domain/rule';
import {
  TicketCommandError,
  WebhookRefusedError,
  type Clock,
  type IdGenerator,
  type TriggerEnvelope,
  type PlannedAction,
  type WebhookDeliveries,
  type ActionOutcome,
  type AutomationActor,
  type PendingRun,
  type RoundRobinStore,
  type RunRepository,
  type TeamDirectory,
  type TicketCommands,
} from './ports';
import { runCompletedEvent } from './run-events';

/** How long a claimed run is this worker's; a crashed worker's runs return to the queue after it. */
export const RUN_LEASE_MS = 60_000;
/** Claims of one run before its remaining actions are given up as failed. */
export const MAX_RUN_ATTEMPTS = 5;
const STALE_RETRIES = 4;

/** An action that cannot succeed: recorded as failed, with this reason, and the run goes on. */
class ActionRefused extends Error {}

export class ApplyActionsUseCase {
  constructor(
    private readonly deps: {
      runs: RunRepository;
      tickets: TicketCommands;
      teams: TeamDirectory;
      roundRobins: RoundRobinStore;
      webhooks: WebhookDeliveries;
      outbox: { nudge(): void };
      clock: Clock;
      ids: IdGenerator;
      logger: Logger;
    },
  ) {}

  /** The run's `run_completed` once `results` hold its last action's (null before). */
  private completion(run: PendingRun, results: ActionOutcome[]): TriggerEnvelope | null {
    if (results.length < run.planned.length) return null;
    return runCompletedEvent(run, results, this.deps.clock.now(), this.deps.ids.newId());
  }

  /** Applies up to `limit` runs; answers how many were claimed. */
  async execute(limit: number): Promise<number> {
    const runs = await this.deps.runs.claim(limit, RUN_LEASE_MS);
    for (const run of runs) await this.applyRun(run);
    return runs.length;
  }

  private async applyRun(run: PendingRun): Promise<void> {
    const results: ActionOutcome[] = run.results.filter((r) => r.result !== 'pending');
    const actor: AutomationActor = { ruleId: run.ruleId, origin: childOrigin(run.origin) };
    // every result stored already (nothing left to apply): the run only needs to end
    if (results.length >= run.planned.length)
      await this.deps.runs.saveResults(run.id, results, this.completion(run, results));
    for (let i = results.length; i < run.planned.length; i += 1) {
      const action = run.planned[i]!;
      try {
        if (action.type === 'notify') {
          const outcome = { type: action.type, result: 'ok' as const, error: null };
          const notify = await this.notify(run, action);
          const stored = [...results, outcome];
          await this.deps.runs.saveWithNotify(run.id, stored, this.completion(run, stored), notify);
          results.push(outcome);
          this.deps.outbox.nudge();
          continue;
        }
        await this.apply(run, action, i, actor);
        results.push({ type: action.type, result: 'ok', error: null });
      } catch (err) {
        if (isTransient(err) && run.attempts < MAX_RUN_ATTEMPTS) {
          // the owner is away: keep what was done, the lease runs out and the run is taken again
          this.deps.logger.warn({ err, runId: run.id, action: action.type }, 'automation action postponed');
          await this.deps.runs.saveResults(run.id, results, null);
          return;
        }
        results.push({ type: action.type, result: 'failed', error: reasonOf(err) });
      }
      const completed = this.completion(run, results);
      await this.deps.runs.saveResults(run.id, results, completed);
      if (completed) this.deps.outbox.nudge();
    }
  }

  private async apply(
    run: PendingRun,
    action: PlannedAction,
    index: number,
    actor: AutomationActor,
  ): Promise<void> {
    const dedupeKey = `automation:${run.id}:${index}`;
    const ticketId = run.ticketId;
    if (action.type === 'webhook') {
      // the endpoint gets the triggering event once: its deliveries are unique per (endpoint, event)
      // the triggering event, or the run's rule_fired for a time or schedule rule (docs/adr/0049)
      if (!action.event) throw new ActionRefused('a webhook sends the triggering event; this run has none');
      await this.deps.webhooks.enqueue(run.tenantId, action.webhookId, action.event);
      return;
    }
    if (action.type === 'create_ticket') {
      const source = ticketId ? await this.deps.tickets.get(run.tenantId, ticketId) : null;
      // a scheduled ticket has no ticket to take a requester from: the client's primary contact (docs/adr/0045)
      let contactId = source?.contactId ?? undefined;
      if (!source && action.clientId) {
        contactId = (await this.deps.tickets.primaryContact(run.tenantId, action.clientId)) ?? undefined;
        if (!contactId)
          throw new ActionRefused('the client has no contact to be the requester of the ticket');
      }
      await this.deps.tickets.create(
        run.tenantId,
        {
          title: action.title,
          templateId: action.templateId,
          clientId: action.clientId ?? source?.clientId ?? undefined,
          priority: action.priority,
          teamId: action.teamId,
          assigneeId: action.assigneeId,
          contactId,
        },
        dedupeKey,
        actor,
      );
      return;
    }
    if (!ticketId) throw new ActionRefused(`${action.type} needs a ticket`);
    switch (action.type) {
      case 'add_note':
        return this.deps.tickets.addMessage(
          run.tenantId,
          ticketId,
          'internal_note',
          action.bodyText,
          dedupeKey,
          actor,
        );
      case 'send_email':
        // a public reply by the rule, its subject in the message's e-mail headers: the thread keeps it, the
        // customer sees it, and the notification service mails it to the requester once (its dedupe key is the
        // message's id, and the dedupe key here makes a retried action answer the same message)
        return this.deps.tickets.addMessage(
          run.tenantId,
          ticketId,
          'public_reply',
          action.bodyText,
          dedupeKey,
          actor,
          action.subject,
        );
      case 'assign':
      case 'set':
      case 'add_tags':
      case 'remove_tags':
        return this.change(run, ticketId, action, actor);
      case 'notify':
        return;
    }
  }

  private async change(
    run: PendingRun,
    ticketId: string,
    action: Action,
    actor: AutomationActor,
  ): Promise<void> {
    let member: string | null | undefined;
    if (action.type === 'assign' && action.roundRobinTeamId) {
      const members = await this.deps.teams.activeMembers(run.tenantId, action.roundRobinTeamId);
      if (members === null) throw new ActionRefused('the round robin names no team of the tenant');
      member = await this.deps.roundRobins.advance(run.tenantId, action.roundRobinTeamId, (last) =>
        nextInRoundRobin(members, last),
      );
    }
    for (let attempt = 0; attempt < STALE_RETRIES; attempt += 1) {
      const ticket = await this.deps.tickets.get(run.tenantId, ticketId);
      if (!ticket) throw new ActionRefused('the ticket no longer exists');
      const patch = patchFor(action, ticket, member);
      if (!patch || isEmptyPatch(patch)) return;
      try {
        await this.deps.tickets.update(run.tenantId, ticketId, ticket.version, patch, actor);
        return;
      } catch (err) {
        // someone changed the ticket meanwhile: read it again and work the change out afresh
        if (err instanceof TicketCommandError && err.code === 'stale') continue;
        throw err;
      }
    }
    throw new ActionRefused('the ticket kept changing; gave up after retries');
  }

  private async notify(run: PendingRun, action: Extract<Action, { type: 'notify' }>) {
    if (!run.ticketId) throw new ActionRefused('notify needs a ticket');
    const ticket = await this.deps.tickets.get(run.tenantId, run.ticketId);
    if (!ticket) throw new ActionRefused('the ticket no longer exists');
    return {
      tenantId: run.tenantId,
      ruleId: run.ruleId,
      ruleName: run.ruleName,
      ruleVersion: run.ruleVersion,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ticketTitle: ticket.title,
      userIds: action.userIds ?? [],
      teamId: action.teamId ?? null,
      admins: action.admins ?? false,
      message: action.message,
    };
  }
}

function isTransient(err: unknown): boolean {
  if (err instanceof TicketCommandError) return err.code === 'unavailable';
  return !(err instanceof ActionRefused) && !(err instanceof WebhookRefusedError);
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

// Tenant settings the workflow reads. Validated with zod where they enter (tenant settings API, database row).
import { invalidArgument } from '@helpdesk/platform';
import { z } from 'zod';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_REOPEN_WITHIN_DAYS = 365;

/**
 * What a customer reply to a closed ticket does:
 * - `follow_up` (default, docs/product/tickets.md): the closed ticket stays closed; a new ticket
 *   linked as its follow-up takes the reply;
 * - `reopen`: the ticket goes back to `open`;
 * - `{ reopenWithinDays: N }`: reopen when the ticket was closed at most N×24 h before the reply, else follow-up.
 */
export type ClosedReplyPolicy = 'follow_up' | 'reopen' | { readonly reopenWithinDays: number };

export interface WorkflowSettings {
  readonly closedReplyPolicy: ClosedReplyPolicy;
}

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = Object.freeze({ closedReplyPolicy: 'follow_up' });

export const closedReplyPolicySchema = z.union([
  z.literal('follow_up'),
  z.literal('reopen'),
  z.strictObject({ reopenWithinDays: z.number().int().min(0).max(MAX_REOPEN_WITHIN_DAYS) }),
]);

export const workflowSettingsSchema = z.object({
  closedReplyPolicy: closedReplyPolicySchema.default('follow_up'),
});

/** True when a reply at `at` to a ticket closed at `closedAt` reopens it instead of opening a follow-up. */
export function closedReplyReopens(policy: ClosedReplyPolicy, closedAt: Date, at: Date): boolean {
  if (policy === 'follow_up') return false;
  if (policy === 'reopen') return true;
  // Settings are parsed at the edge; this guards a row that bypassed the schema rather than guessing a meaning.
  const days = typeof policy === 'object' && policy !== null ? policy.reopenWithinDays : undefined;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > MAX_REOPEN_WITHIN_DAYS) {
    throw invalidArgument('closedReplyPolicy must be follow_up, reopen or { reopenWithinDays: 0..365 }');
  }
  // Elapsed wall time in whole 24-hour days, inclusive: exactly N days after closing still reopens.
  return at.getTime() - closedAt.getTime() <= days * DAY_MS;
}

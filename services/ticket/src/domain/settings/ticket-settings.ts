// A tenant's ticket settings: the type and category lists of docs/product/tickets.md, what a reply to a closed
// ticket does, and the attachment size limit. Pure: no I/O.
import { z } from 'zod';
import { TicketRuleError } from '../ticket';
import { closedReplyPolicySchema, type ClosedReplyPolicy, type WorkflowSettings } from '../workflow';

export const DEFAULT_TYPES = ['Incident', 'Service Request', 'Problem', 'Question'] as const;
export const DEFAULT_CATEGORIES = ['Hardware', 'Software', 'Network', 'Account', 'Other'] as const;
export const DEFAULT_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
/** No tenant may raise the limit beyond this: the gateway's upload path and the blob store are sized for it. */
export const MAX_ATTACHMENT_MAX_BYTES = 100 * 1024 * 1024;
export const LIST_MAX = 100;
export const LIST_ENTRY_MAX_LENGTH = 100;

export interface TicketSettings extends WorkflowSettings {
  readonly types: readonly string[];
  readonly categories: readonly string[];
  readonly closedReplyPolicy: ClosedReplyPolicy;
  readonly attachmentMaxBytes: number;
  /** 0 while the tenant has never changed its settings (the defaults). */
  readonly version: number;
}

export const DEFAULT_TICKET_SETTINGS: TicketSettings = Object.freeze({
  types: DEFAULT_TYPES,
  categories: DEFAULT_CATEGORIES,
  closedReplyPolicy: 'follow_up' as const,
  attachmentMaxBytes: DEFAULT_ATTACHMENT_MAX_BYTES,
  version: 0,
});

const listEntry = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1).max(LIST_ENTRY_MAX_LENGTH));

const tenantList = z
  .array(listEntry)
  .max(LIST_MAX)
  .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, {
    message: 'entries must be unique (ignoring case)',
  });

/** A change of settings as callers send it; unset fields stay as they are. */
export const settingsPatchSchema = z.strictObject({
  types: tenantList.optional(),
  categories: tenantList.optional(),
  closedReplyPolicy: closedReplyPolicySchema.optional(),
  attachmentMaxBytes: z.number().int().min(1024).max(MAX_ATTACHMENT_MAX_BYTES).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function applySettingsPatch(current: TicketSettings, patch: SettingsPatch): TicketSettings {
  return {
    types: patch.types ?? current.types,
    categories: patch.categories ?? current.categories,
    closedReplyPolicy: patch.closedReplyPolicy ?? current.closedReplyPolicy,
    attachmentMaxBytes: patch.attachmentMaxBytes ?? current.attachmentMaxBytes,
    version: current.version + 1,
  };
}

/**
 * A type or category as stored: the tenant's own spelling of a list entry, matched ignoring case; empty is none.
 * Anything not on the list is refused, so that reports group cleanly.
 */
export function pickFromList(
  list: readonly string[],
  raw: string | null | undefined,
  field: 'type' | 'category',
): string | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  const found = list.find((entry) => entry.toLowerCase() === value.toLowerCase());
  if (!found) {
    throw new TicketRuleError(
      field,
      `"${value.slice(0, 100)}" is not one of the tenant's ${field === 'type' ? 'types' : 'categories'}: ${list.join(', ')}`,
    );
  }
  return found;
}

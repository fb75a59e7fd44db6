// Request schemas shared by the use cases: proto3 has no required fields, so every command is checked here.
import { z } from 'zod';
import { invalidArgument } from '@helpdesk/platform';
import { normalizeEmail } from '../domain/email';
import { isValidHandle } from '../domain/handle';
import { decodeCursor, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../domain/page-cursor';
import { passwordProblem } from '../domain/password-policy';
import { slugProblem } from '../domain/slug';
import { ROLES } from '../domain/role';
import { canonicalTimeZone } from '../domain/timezone';
import type { PageQuery } from './ports';

export const idSchema = z.guid({ error: 'must be a uuid' });

export const emailSchema = z
  .string({ error: 'is required' })
  .transform(normalizeEmail)
  .pipe(
    z.email({ error: 'must be an e-mail address' }).max(254, { error: 'must be at most 254 characters' }),
  );

export const displayNameSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(200, { error: 'must be at most 200 characters' });

// Input typed as string: the role arrives as free text from the wire and is checked here.
export const roleSchema = z
  .string({ error: 'is required' })
  .pipe(z.enum(ROLES, { error: 'must be "admin" or "agent"' }));

export const handleSchema = z.string().trim().toLowerCase().refine(isValidHandle, {
  error: 'must be 1-32 characters of a-z, 0-9, ".", "_", "-", starting and ending with a letter or digit',
});

export const slugSchema = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const timezoneSchema = z.string().transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone.trim());
  if (!canonical) {
    ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as "Europe/Berlin"' });
    return z.NEVER;
  }
  return canonical;
});

export const passwordSchema = z.string({ error: 'is required' }).superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const pageSchema = z
  .object({
    limit: z
      .number()
      .int()
      .min(0, { error: `must be between 1 and ${PAGE_LIMIT_MAX}` })
      .max(PAGE_LIMIT_MAX, { error: `must be between 1 and ${PAGE_LIMIT_MAX}` })
      .optional(),
    cursor: z.string().optional(),
  })
  .optional()
  .transform((page, ctx): PageQuery => {
    // proto3 sends 0 and "" for unset fields.
    const limit = page?.limit || PAGE_LIMIT_DEFAULT;
    if (!page?.cursor) return { limit };
    const after = decodeCursor(page.cursor);
    if (!after) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is not a cursor of this list' });
      return z.NEVER;
    }
    return { limit, after };
  });

/** A nested message that proto3 may leave out but the command needs. */
export function requiredMessage<S extends z.ZodType>(schema: S) {
  return schema.optional().transform((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    return value as z.output<S>;
  });
}

/** Parses a command or throws INVALID_ARGUMENT naming each bad field (never echoing values). */
export function parseCommand<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(request)',
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field} ${f.message}`).join('; ');
  throw invalidArgument(`Invalid request: ${summary}`, { fields });
}

import { z } from 'zod';
import type { ErrorDetailsDto, FieldErrorDto } from './schemas/common.schema';

/**
 * The one place that builds `error.details` (ADR 0028): whatever a failure carries about the request's fields,
 * answered as `{fields: [{path, message}]}`, or nothing when it concerns no field.
 *
 * It reads every form the failures arrive in:
 * - a zod validation failure of the gateway (`ZodError`): one field per issue, one per unrecognized key;
 * - a list `[{path, message}]` (GatewayError, most backend services);
 * - `{issues: [{path: "a.b", message}]}` (a backend's zod failure, libs/grpc);
 * - `{fields: [{field: "a.b", message}]}` (identity's command validation) or `{fields: [{path, message}]}`;
 * - `{field: "email"}` (a unique value taken), with the error's message.
 * Other context a backend attaches (a current version, a state, a reason) is internal and not answered: the
 * code and message say what happened.
 */
export function errorDetails(source: unknown, message: string): ErrorDetailsDto | undefined {
  const fields = fieldsOf(source, message);
  return fields.length ? { fields } : undefined;
}

function fieldsOf(source: unknown, message: string): FieldErrorDto[] {
  if (source instanceof z.ZodError) return source.issues.flatMap(fieldsOfIssue);
  if (Array.isArray(source)) return source.flatMap(fieldOf);
  if (!isRecord(source)) return [];
  if (Array.isArray(source.issues)) return source.issues.flatMap(fieldOf);
  if (Array.isArray(source.fields)) return source.fields.flatMap(fieldOf);
  if (typeof source.field === 'string') return [{ path: pathOf(source.field), message }];
  return [];
}

function fieldsOfIssue(issue: z.core.$ZodIssue): FieldErrorDto[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: 'Unrecognized key' }));
  }
  return [{ path, message: issue.message }];
}

/** One `{path, message}` (path a list or a dotted string) or `{field, message}`; anything else is skipped. */
function fieldOf(entry: unknown): FieldErrorDto[] {
  if (!isRecord(entry) || typeof entry.message !== 'string') return [];
  const where = entry.path ?? entry.field;
  if (typeof where === 'string') return [{ path: pathOf(where), message: entry.message }];
  if (Array.isArray(where) && where.every((p) => typeof p === 'string' || typeof p === 'number')) {
    return [{ path: where.map(String), message: entry.message }];
  }
  return [];
}

/** `"a.b"` → `["a", "b"]`; `""` and identity's `"(request)"` stand for the request as a whole. */
function pathOf(dotted: string): string[] {
  return dotted === '' || dotted === '(request)' ? [] : dotted.split('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

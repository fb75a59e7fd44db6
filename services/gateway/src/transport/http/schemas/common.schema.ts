import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../../app/pagination';

/** One request field that was refused: where it is in the request and why. */
export const fieldErrorSchema = z
  .object({
    path: z.array(z.string()).meta({
      description:
        'Where the field is in the request, one key or array index per step (e.g. ["requester", "email"]); ' +
        'empty for the request as a whole',
    }),
    message: z.string().meta({ description: 'What is wrong with it, safe to show' }),
  })
  .meta({ id: 'FieldError' });

/** The only shape of `error.details` (ADR 0028): the request fields that were refused. */
export const errorDetailsSchema = z
  .object({
    fields: z.array(fieldErrorSchema).min(1),
  })
  .meta({ id: 'ErrorDetails' });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Machine-readable code, e.g. NOT_FOUND, INVALID_ARGUMENT' }),
      message: z.string().meta({ description: 'Human-readable, safe to show' }),
      details: errorDetailsSchema.optional().meta({
        description: 'Present when the failure concerns fields of the request (validation, a taken value)',
      }),
    }),
  })
  .meta({ id: 'Error' });

export type FieldErrorDto = z.output<typeof fieldErrorSchema>;
export type ErrorDetailsDto = z.output<typeof errorDetailsSchema>;
export type ErrorBodyDto = z.output<typeof errorResponseSchema>;

export const isoDateTime = () => z.iso.datetime({ offset: true });

export const idParamsSchema = z.strictObject({
  id: z.guid().meta({ description: 'Record id (uuid)' }),
});

export const pageQueryShape = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .meta({ description: `Items per page, 1 to ${MAX_PAGE_LIMIT}` }),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'The nextCursor of the previous page (opaque)' }),
};

export const pageQuerySchema = z.strictObject(pageQueryShape);

/** A filter given as a comma list (`a,b`), repeated (`x=a&x=b`), or both; values checked against `values`. */
export function listFilter<const T extends readonly [string, ...string[]]>(values: T, name: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : [raw])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(z.enum(values)).max(values.length * 4))
    .transform((list) => [...new Set(list)])
    .optional()
    .meta({ description: `Only these ${name} (comma list or repeated): ${values.join(', ')}` });
}

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Cursor of the next page; null on the last page' }),
    })
    .meta({ id });
}

export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Berlin' })
  .meta({ description: 'IANA time zone', examples: ['Europe/Berlin'] });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const emailSchema = z.email().max(320);
export const passwordSchema = z
  .string()
  .min(8)
  .max(256)
  .meta({ description: 'At least 8 characters', writeOnly: true });
export const displayNameSchema = z.string().trim().min(1).max(200);

/**
 * Idempotency-Key on a create (docs/api.md "Idempotency"), read by the route
 * as well as by the idempotency middleware.
 */
export const idempotencyKeyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .meta({ description: 'A retry with the same key answers the first result and creates nothing more' }),
});

/** If-Match on PATCH (docs/api.md "Concurrency"): the version the change is based on. */
export const ifMatchHeadersSchema = z.object({
  'if-match': z
    .string()
    .trim()
    .regex(/^(\*|(W\/)?"?[1-9]\d{0,8}"?)$/, 'must be the record version, e.g. 3')
    .optional()
    .transform((v) => (v === undefined || v === '*' ? undefined : Number(v.replace(/\D/g, ''))))
    .meta({ description: 'The version the change is based on; 409 when the record has moved on' }),
});

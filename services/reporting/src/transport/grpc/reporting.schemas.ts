// zod schemas of the gRPC requests: proto3 has no required fields, so every message is checked here and turned into
// the use cases' input. A ZodError thrown from a handler answers INVALID_ARGUMENT (libs/grpc).
import { isUuid } from '@helpdesk/platform';
import { z } from 'zod';
import { GROUPS } from '../../app/ports';

const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v));
// '' is unset; the shape of a date or an instant is checked when the period is resolved in the tenant's zone
const bound = z
  .string()
  .max(40)
  .transform((v) => (v === '' ? undefined : v));
const period = z
  .object({ from: bound, to: bound })
  .optional()
  .transform((p) => p ?? { from: undefined, to: undefined });

export const getOverviewRequestSchema = z.object({
  tenantId: uuid,
  period,
  clientId: optionalUuid,
});

export const getSlaReportRequestSchema = z.object({
  tenantId: uuid,
  period,
  groupBy: z.enum(GROUPS),
});

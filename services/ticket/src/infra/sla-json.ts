// The `sla` column: the SLA service's view of a ticket as JSON (ISO timestamps), checked when read back.
import { z } from 'zod';
import { SLA_TARGET_STATES, type TicketSla } from '../domain/ticket';

const when = z.iso
  .datetime({ offset: true })
  .nullable()
  .transform((v) => (v ? new Date(v) : null));
const target = z.object({ state: z.enum(SLA_TARGET_STATES), breachedAt: when, metAt: when });
const slaSchema = z.object({
  policyId: z.string(),
  firstResponseDueAt: when,
  resolutionDueAt: when,
  firstResponse: target,
  resolution: target,
  warning: z.boolean(),
});

/** A stored value that does not parse (written by an older version) shows as "no SLA yet" rather than failing reads. */
export function slaFromJson(value: unknown): TicketSla | null {
  if (value === null || value === undefined) return null;
  const parsed = slaSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function slaToJson(sla: TicketSla): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const t = (s: TicketSla['firstResponse']) => ({
    state: s.state,
    breachedAt: iso(s.breachedAt),
    metAt: iso(s.metAt),
  });
  return {
    policyId: sla.policyId,
    firstResponseDueAt: iso(sla.firstResponseDueAt),
    resolutionDueAt: iso(sla.resolutionDueAt),
    firstResponse: t(sla.firstResponse),
    resolution: t(sla.resolution),
    warning: sla.warning,
  };
}

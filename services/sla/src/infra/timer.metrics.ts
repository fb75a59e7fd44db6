// SLA timer metrics: timers pending and how late the oldest due one is (a gauge, so a stuck timer shows even when
// nothing fires), and the delay of each timer fired past its instant.
import type { BatchObservableCallback } from '@opentelemetry/api';
import { lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';

const instruments = lazyInstruments('sla', (meter) => ({
  meter,
  pending: meter.createObservableGauge('helpdesk.sla.timers.pending', {
    description: 'Tickets with a warning or due instant still to fire',
    unit: '{timer}',
  }),
  overdue: meter.createObservableGauge('helpdesk.sla.timers.overdue', {
    description: 'How far past its instant the earliest unfired timer is (0 when none is due)',
    unit: 's',
  }),
  fireDelay: meter.createHistogram('helpdesk.sla.timer.fire_delay', {
    description: 'From a timer instant (warning or due) to the timers taking the ticket',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300] },
  }),
}));

/** Records the lateness of timers being fired now, from their `next_fire_at`. */
export function recordFireDelays(instants: readonly Date[]): void {
  if (instants.length === 0) return;
  const { fireDelay } = instruments();
  const now = Date.now();
  for (const at of instants) fireDelay.record(Math.max(0, (now - at.getTime()) / 1000));
}

/** Observes the timers: one query over the index on next_fire_at per scrape. Returns the stop function. */
export function observeTimers(pool: Pool): () => void {
  const { meter, pending, overdue } = instruments();
  const callback: BatchObservableCallback = async (result) => {
    const { rows } = await pool.query<{ pending: number; late: number | null }>(
      `SELECT count(next_fire_at)::int AS pending, extract(epoch FROM now() - min(next_fire_at))::float8 AS late
         FROM tickets WHERE next_fire_at IS NOT NULL`,
    );
    result.observe(pending, rows[0]?.pending ?? 0);
    result.observe(overdue, Math.max(0, rows[0]?.late ?? 0));
  };
  meter.addBatchObservableCallback(callback, [pending, overdue]);
  return () => meter.removeBatchObservableCallback(callback, [pending, overdue]);
}

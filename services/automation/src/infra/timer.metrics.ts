// Automation timer metrics: armed time-rule timers, and how far past its instant the earliest unfired one is.
import type { BatchObservableCallback } from '@opentelemetry/api';
import { lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';

const instruments = lazyInstruments('automation', (meter) => ({
  meter,
  pending: meter.createObservableGauge('helpdesk.automation.timers.pending', {
    description: 'Armed time-rule timers (a due instant still to come or to fire)',
    unit: '{timer}',
  }),
  overdue: meter.createObservableGauge('helpdesk.automation.timers.overdue', {
    description: 'How far past its instant the earliest unfired timer is (0 when none is due)',
    unit: 's',
  }),
}));

/** Observes the timers: one query over the index on due_at per scrape. Returns the stop function. */
export function observeTimers(pool: Pool): () => void {
  const { meter, pending, overdue } = instruments();
  const callback: BatchObservableCallback = async (result) => {
    const { rows } = await pool.query<{ pending: number; late: number | null }>(
      `SELECT count(due_at)::int AS pending, extract(epoch FROM now() - min(due_at))::float8 AS late
         FROM timers WHERE due_at IS NOT NULL`,
    );
    result.observe(pending, rows[0]?.pending ?? 0);
    result.observe(overdue, Math.max(0, rows[0]?.late ?? 0));
  };
  meter.addBatchObservableCallback(callback, [pending, overdue]);
  return () => meter.removeBatchObservableCallback(callback, [pending, overdue]);
}

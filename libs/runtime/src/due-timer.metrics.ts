// Metrics of durable timers kept in PostgreSQL (the rows a DueTimer fires): how many are armed, and how far past its
// instant the earliest unfired one is (a gauge, so a stuck timer shows even when nothing fires). One query over the
// index on the due column per scrape.
import type { BatchObservableCallback } from '@opentelemetry/api';
import { lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';

export interface DueTimerMetricsOptions {
  /** The meter: the service's name. */
  meter: string;
  /** The metric names' stem: `helpdesk.sla.timers` gives `helpdesk.sla.timers.pending` and `.overdue`. */
  name: string;
  /** What one armed timer is, for the pending gauge's description. */
  pendingDescription: string;
  /** The table and its due-instant column (constants of the service, never input). */
  table: string;
  column: string;
}

const IDENTIFIER = /^[a-z_]+$/;

/** Observes the timers until the returned function is called. */
export function observeDueTimers(pool: Pool, options: DueTimerMetricsOptions): () => void {
  if (!IDENTIFIER.test(options.table) || !IDENTIFIER.test(options.column))
    throw new Error(`invalid timer table ${options.table}.${options.column}`);
  const { meter, pending, overdue } = lazyInstruments(options.meter, (m) => ({
    meter: m,
    pending: m.createObservableGauge(`${options.name}.pending`, {
      description: options.pendingDescription,
      unit: '{timer}',
    }),
    overdue: m.createObservableGauge(`${options.name}.overdue`, {
      description: 'How far past its instant the earliest unfired timer is (0 when none is due)',
      unit: 's',
    }),
  }))();
  const { table, column } = options;
  const callback: BatchObservableCallback = async (result) => {
    const { rows } = await pool.query<{ pending: number; late: number | null }>(
      `SELECT count(${column})::int AS pending, extract(epoch FROM now() - min(${column}))::float8 AS late
         FROM ${table} WHERE ${column} IS NOT NULL`,
    );
    result.observe(pending, rows[0]?.pending ?? 0);
    result.observe(overdue, Math.max(0, rows[0]?.late ?? 0));
  };
  meter.addBatchObservableCallback(callback, [pending, overdue]);
  return () => meter.removeBatchObservableCallback(callback, [pending, overdue]);
}

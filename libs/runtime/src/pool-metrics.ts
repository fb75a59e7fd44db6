import type { BatchObservableCallback } from '@opentelemetry/api';
import { lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';

const instruments = lazyInstruments('@helpdesk/runtime', (meter) => ({
  meter,
  connections: meter.createObservableUpDownCounter('db.client.connection.count', {
    description: 'Connections of the service pg pool, by state (used, idle)',
    unit: '{connection}',
  }),
  pending: meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    description: 'Queries waiting for a connection of the service pg pool',
    unit: '{request}',
  }),
  max: meter.createObservableUpDownCounter('db.client.connection.max', {
    description: 'Size limit of the service pg pool',
    unit: '{connection}',
  }),
}));

/** Observes the pool's own counters (no query): used, idle, waiting and its limit. Returns the stop function. */
export function observePool(pool: Pool, poolName: string, max: number): () => void {
  const { meter, connections, pending, max: maxGauge } = instruments();
  const name = { 'db.client.connection.pool.name': poolName };
  const used = { ...name, 'db.client.connection.state': 'used' };
  const idle = { ...name, 'db.client.connection.state': 'idle' };
  const callback: BatchObservableCallback = (result) => {
    result.observe(connections, pool.totalCount - pool.idleCount, used);
    result.observe(connections, pool.idleCount, idle);
    result.observe(pending, pool.waitingCount, name);
    result.observe(maxGauge, max, name);
  };
  const observables = [connections, pending, maxGauge];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}

// SLA timer metrics: the delay of each timer fired past its instant (pending and overdue timers are observed by
// libs/runtime's observeDueTimers, as for every DueTimer).
import { lazyInstruments } from '@helpdesk/telemetry';

const instruments = lazyInstruments('sla', (meter) => ({
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

// The SLA timer metrics on the health port's /metrics: a ticket whose warning and breach come seconds after it
// arrives shows as a pending timer, its fired targets in the fire delay histogram, and no timer left overdue.
import { randomUUID } from 'node:crypto';
import { startTelemetry, type Telemetry } from '@helpdesk/telemetry';
import { promSample, scrapeMetrics } from '@helpdesk/testing';
import type { RunningSlaService } from '../src/sla-service';
import { ago, startHarness, ticket, waitFor, type Harness, type SlaClient } from './support/harness';
import { testPolicy } from './support/requests';

let telemetry: Telemetry;
let h: Harness;
let client: SlaClient;
let service: RunningSlaService;
const tenantId = randomUUID();

beforeAll(async () => {
  telemetry = startTelemetry({ serviceName: 'sla' });
  h = await startHarness('slamet');
  ({ client, service } = await h.start());
  await client.createPolicy(testPolicy(tenantId));
});

afterAll(async () => {
  await h?.stop();
  await telemetry?.shutdown();
});

describe('SLA timer metrics', () => {
  it('reports pending timers, the delay of fired ones, and nothing overdue once they fired', async () => {
    const scrape = () => scrapeMetrics(service.healthPort);
    expect(promSample(await scrape(), 'helpdesk_sla_timers_pending')).toBe(0);

    // critical: 1 minute to first response, 2 to resolution, warning at 50 %; opened 55 s ago → the first-response
    // warning at once, its breach and the resolution warning in ~5 s, the resolution due a minute later
    const t = ticket({ tenantId, type: 'SlaTest', priority: 'critical', openedAt: ago(55_000) });
    await h.publishTicketEvent('helpdesk.ticket.created', t);
    await waitFor('first-response breach', async () => {
      const { sla } = await client.getTicketSla({ tenantId, ticketId: t.id });
      return sla?.firstResponse?.state === 'breached';
    });
    // the resolution warning comes with the breach or a round later; then only the resolution's due instant is left
    const text = await waitFor('the timers settled', async () => {
      const t = await scrape();
      return promSample(t, 'helpdesk_sla_timers_overdue') === 0 ? t : undefined;
    });
    // the warning and breach fired by the timers (the first warning may have come with the event itself)
    expect(promSample(text, 'helpdesk_sla_timer_fire_delay_count')).toBeGreaterThanOrEqual(1);
    expect(promSample(text, 'helpdesk_sla_timer_fire_delay_bucket', { le: '+Inf' })).toBe(
      promSample(text, 'helpdesk_sla_timer_fire_delay_count'),
    );
    // the resolution's due instant is still to come
    expect(promSample(text, 'helpdesk_sla_timers_pending')).toBe(1);
    expect(promSample(text, 'helpdesk_sla_timers_overdue')).toBe(0);
  }, 60_000);
});

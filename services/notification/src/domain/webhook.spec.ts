import { Webhook } from 'standardwebhooks';
import {
  attemptOutcome,
  deliveryBody,
  failingTooLong,
  newWebhookSecret,
  nextAttemptAt,
  normalizeEvents,
  RETRY_SCHEDULE_MS,
  WEBHOOK_EVENT_DOMAINS,
  WEBHOOK_EVENT_NAMES,
  webhookEventName,
  webhookHeaders,
} from './webhook';

describe('webhook signatures', () => {
  const body = deliveryBody({
    id: '0b7f1f5e-3c1a-4d2b-9e8f-1a2b3c4d5e6f',
    type: 'helpdesk.ticket.created',
    version: 1,
    tenantId: '1c8e2a6f-4d2b-4e3c-8f9a-2b3c4d5e6f70',
    occurredAt: '2026-12-03T10:00:00.000Z',
    data: { ticket: { title: 'Printer — ünïcode' } },
  });

  it('is a whsec_ secret of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('verifies with the standardwebhooks package, and fails for another secret or body', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], 'msg-1', new Date(), body);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body + ' ', headers)).toThrow();
  });

  it('signs with both secrets during a rotation (space-separated), each verifying alone', () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders([next, previous], 'msg-2', new Date(), body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });

  it('leaves traceparent out of the body', () => {
    const withTrace = deliveryBody({
      ...JSON.parse(body),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(Object.keys(JSON.parse(withTrace))).toEqual([
      'id',
      'type',
      'version',
      'tenantId',
      'occurredAt',
      'data',
    ]);
  });
});

describe('webhook events', () => {
  it('names the catalog types without helpdesk., internal ones left out', () => {
    expect(WEBHOOK_EVENT_NAMES).toContain('ticket.created');
    expect(WEBHOOK_EVENT_NAMES).toContain('sla.breached');
    expect(WEBHOOK_EVENT_NAMES).toContain('time.entry_created');
    expect(WEBHOOK_EVENT_NAMES).toContain('automation.rule_fired');
    expect(WEBHOOK_EVENT_NAMES).toContain('automation.run_completed');
    expect(WEBHOOK_EVENT_NAMES).not.toContain('automation.notify_requested');
    expect(WEBHOOK_EVENT_NAMES).not.toContain('identity.tenant_created');
    expect(webhookEventName('helpdesk.ticket.status_changed')).toBe('ticket.status_changed');
    expect(webhookEventName('helpdesk.automation.notify_requested')).toBeNull();
    expect(webhookEventName('helpdesk.ticket.not_a_type')).toBeNull();
    expect([...WEBHOOK_EVENT_DOMAINS].sort()).toEqual([
      'automation',
      'identity',
      'mail',
      'sla',
      'ticket',
      'time',
    ]);
  });

  it('takes known names or "*" alone', () => {
    expect(normalizeEvents(['ticket.created', 'ticket.created', 'sla.breached'])).toEqual({
      events: ['ticket.created', 'sla.breached'],
    });
    expect(normalizeEvents(['*'])).toEqual({ events: ['*'] });
    expect(normalizeEvents(['*', 'ticket.created'])).toEqual({ error: expect.stringMatching(/alone/) });
    expect(normalizeEvents(['helpdesk.ticket.created'])).toEqual({
      error: expect.stringMatching(/unknown event/),
    });
    expect(normalizeEvents(['ticket.*'])).toEqual({ error: expect.stringMatching(/unknown event/) });
    expect(normalizeEvents([])).toEqual({ error: expect.stringMatching(/at least one/) });
  });
});

describe('retry schedule', () => {
  const at = new Date('2026-12-03T10:00:00.000Z');
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then gives up', () => {
    const waits = RETRY_SCHEDULE_MS.map(
      (_, i) => nextAttemptAt(i + 1, at, () => 0.5)!.getTime() - at.getTime(),
    );
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400].map((s) => s * 1000));
    expect(nextAttemptAt(10, at, () => 0.5)).toBeNull();
  });
  it('jitters each wait by at most 10 % either way', () => {
    expect(nextAttemptAt(1, at, () => 0)!.getTime() - at.getTime()).toBe(4500);
    expect(nextAttemptAt(1, at, () => 0.999999)!.getTime() - at.getTime()).toBe(5500);
  });
  it('delivers on a 2xx in time only; 410 is gone; redirects and late answers are retried', () => {
    expect(attemptOutcome(200, true)).toBe('delivered');
    expect(attemptOutcome(204, true)).toBe('delivered');
    expect(attemptOutcome(200, false)).toBe('retry');
    expect(attemptOutcome(301, true)).toBe('retry');
    expect(attemptOutcome(500, true)).toBe('retry');
    expect(attemptOutcome(0, false)).toBe('retry');
    expect(attemptOutcome(410, true)).toBe('gone');
  });
  it('disables after 5 days of failures', () => {
    expect(failingTooLong(null, at)).toBe(false);
    expect(failingTooLong(new Date(at.getTime() - 5 * 86400_000 + 1), at)).toBe(false);
    expect(failingTooLong(new Date(at.getTime() - 5 * 86400_000), at)).toBe(true);
  });
});

import { trace } from '@opentelemetry/api';
import { installTestTracing, parseTraceparent, type TestTracing } from '../test/support/tracing';
import { createEnvelope, envelopeSchema, parseEnvelope } from './envelope';
import { retryDelayMs } from './consumer';

const tenantId = '0d9f5b8e-3c1a-4f7e-9b2d-6a8c1e4f2b3d';

describe('event envelope', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = installTestTracing();
  });
  afterAll(() => tracing.shutdown());

  it('fills id, version, occurredAt and validates', () => {
    const before = Date.now();
    const e = createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: { ticketId: 'x' } });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.version).toBe(1);
    expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(e.data).toEqual({ ticketId: 'x' });
    expect(e.traceparent).toBeUndefined();
    expect(envelopeSchema.parse(e)).toEqual(e);
    expect(createEnvelope({ type: 'helpdesk.sla.breached', tenantId, data: null, version: 3 }).version).toBe(
      3,
    );
    expect(createEnvelope({ type: 'helpdesk.sla.breached', tenantId, data: null }).id).not.toBe(e.id);
  });

  it('carries the traceparent of the active span', () => {
    const { envelope, spanContext } = trace.getTracer('test').startActiveSpan('create ticket', (span) => {
      try {
        return {
          envelope: createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: {} }),
          spanContext: span.spanContext(),
        };
      } finally {
        span.end();
      }
    });
    expect(envelope.traceparent).toBeDefined();
    expect(parseTraceparent(envelope.traceparent!)).toEqual({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
    });
    expect(envelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it('refuses bad input when creating', () => {
    expect(() => createEnvelope({ type: 'ticket.created', tenantId, data: {} })).toThrow();
    expect(() => createEnvelope({ type: 'helpdesk.ticket.created', tenantId: 'acme', data: {} })).toThrow();
    expect(() => createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: undefined })).toThrow();
    expect(() =>
      createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: {}, version: 0 }),
    ).toThrow();
  });

  it('parses valid bytes and explains invalid ones', () => {
    const e = createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: { n: 1 } });
    const ok = parseEnvelope(Buffer.from(JSON.stringify(e)));
    expect(ok).toEqual({ ok: true, envelope: e });

    expect(parseEnvelope('not json')).toEqual({ ok: false, error: 'invalid envelope: not JSON' });
    const missing = parseEnvelope(JSON.stringify({ ...e, id: undefined, occurredAt: 'yesterday' }));
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error).toContain('id');
      expect(missing.error).toContain('occurredAt');
    }
    expect(parseEnvelope(JSON.stringify({ ...e, data: undefined })).ok).toBe(false);
    expect(parseEnvelope(JSON.stringify({ ...e, traceparent: 'nope' })).ok).toBe(false);
    expect(parseEnvelope(JSON.stringify([e])).ok).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles per delivery from the base and caps at 30 s', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(500, n))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(500, 20)).toBe(30_000);
  });
});

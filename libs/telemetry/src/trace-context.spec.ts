import {
  ROOT_CONTEXT,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
} from '@opentelemetry/api';
import { createLogger } from '@helpdesk/platform';
import { startTelemetry, type Telemetry } from './sdk';
import { outsideTrace } from './trace-context';

// Through the global API, as the bus and the instrumentations use what startTelemetry() registers.
const tracer = trace.getTracer('telemetry-test');
function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

// The real SDK without an endpoint: spans exist (ids in logs, traceparents) but nothing is exported.
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'telemetry-test' });
});
afterAll(() => telemetry.shutdown());

describe('trace context', () => {
  it('is idempotent: starting twice returns the running SDK', () => {
    expect(startTelemetry({ serviceName: 'other' })).toBe(telemetry);
  });

  it('currentTraceparent() is undefined outside a span', () => {
    expect(currentTraceparent()).toBeUndefined();
  });

  it('currentTraceparent() carries the active span and contextFromTraceparent() restores it', () => {
    const { traceparent, traceId, spanId } = tracer.startActiveSpan('outer', (span) => {
      const tp = currentTraceparent();
      span.end();
      return { traceparent: tp, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    });
    expect(isSpanContextValid({ traceId, spanId, traceFlags: 1 })).toBe(true);
    expect(traceparent).toBe(`00-${traceId}-${spanId}-01`);

    const remote = trace.getSpanContext(contextFromTraceparent(traceparent));
    expect(remote).toMatchObject({ traceId, spanId, isRemote: true });

    // A span started under the restored context continues the same trace (as a consumer would).
    const child = tracer.startSpan(
      'process helpdesk.ticket.created',
      {},
      contextFromTraceparent(traceparent),
    );
    expect(child.spanContext().traceId).toBe(traceId);
    expect(child.spanContext().spanId).not.toBe(spanId);
    expect((child as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(
      spanId,
    );
    child.end();
  });

  it('contextFromTraceparent() without a valid value starts a new trace', () => {
    expect(trace.getSpanContext(contextFromTraceparent(undefined))).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('garbage'))).toBeUndefined();
    const a = tracer.startSpan('a', {}, contextFromTraceparent(undefined));
    const b = tracer.startSpan('b', {}, contextFromTraceparent(undefined));
    expect(a.spanContext().traceId).not.toBe(b.spanContext().traceId);
    a.end();
    b.end();
  });

  it('puts traceId and spanId of the active span on log lines', () => {
    const lines: string[] = [];
    const logger = createLogger('telemetry-test', 'info', { write: (s: string) => void lines.push(s) });
    const ids = tracer.startActiveSpan('logged', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = lines.map((l) => JSON.parse(l));
    expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(outside.traceId).toBeUndefined();
  });

  it('propagates through async work', async () => {
    await tracer.startActiveSpan('async', async (span) => {
      await new Promise((r) => setTimeout(r, 5));
      expect(currentTraceparent()).toContain(span.spanContext().traceId);
      expect(trace.getSpan(context.active())).toBe(span);
      span.end();
    });
  });

  it('outsideTrace() leaves the active trace, also for timers it starts', async () => {
    await tracer.startActiveSpan('handler', async (span) => {
      const seen = await new Promise<{ sync?: string; timer?: string }>((resolve) => {
        outsideTrace(() => {
          const sync = currentTraceparent();
          setTimeout(() => resolve({ sync, timer: currentTraceparent() }), 5);
        });
      });
      expect(seen).toEqual({ sync: undefined, timer: undefined });
      expect(trace.getSpan(context.active())).toBe(span);
      span.end();
    });
  });
});

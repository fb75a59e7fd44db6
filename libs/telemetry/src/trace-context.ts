import { ROOT_CONTEXT, context, defaultTextMapGetter, defaultTextMapSetter, trace, type Context, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Used directly (not the global propagator) so envelopes always carry a W3C traceparent,
// even in processes or tests that never started the SDK.
const w3c = new W3CTraceContextPropagator();

/** The tracer every service uses for manual spans (`publish <subject>`, `process <subject>`, …). */
export const tracer: Tracer = trace.getTracer('helpdesk');

/** W3C `traceparent` of the active span (or of `ctx`), or undefined when there is no valid span. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/**
 * A context whose parent is the remote span named by `tp` (e.g. from an event envelope or NATS header).
 * Without a valid traceparent it is the root context, so the next span starts a new trace.
 */
export function contextFromTraceparent(tp?: string, tracestate?: string): Context {
  if (!tp) return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent: tp };
  if (tracestate) carrier.tracestate = tracestate;
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/**
 * Runs `fn` outside any trace. A timer or loop started from a request or message handler would otherwise carry
 * that handler's trace into every later round (Node's async context follows setTimeout), growing one trace forever.
 */
export function outsideTrace<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}

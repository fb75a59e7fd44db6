// Trace context over NATS headers with the globally registered propagator (W3C once telemetry has started);
// kept here instead of @helpdesk/telemetry so the bus has no dependency on the SDK set-up.
import {
  ROOT_CONTEXT,
  context,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { MsgHdrs } from 'nats';

export const busTracer = trace.getTracer('@helpdesk/bus');

const headerSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  get: (carrier, key) => carrier?.get(key) || undefined,
  keys: (carrier) => carrier?.keys() ?? [],
};

/** The W3C traceparent of `ctx` (the active context by default), if it holds a valid span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier['traceparent'];
}

/** A context whose remote parent is `traceparent`; the root context when absent or malformed. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

export function injectIntoHeaders(ctx: Context, headers: MsgHdrs): void {
  propagation.inject(ctx, headers, headerSetter);
}

export function extractFromHeaders(headers: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * The traceparent to keep with work an event handler leaves for later (a mail to send, a webhook to deliver): its
 * `process <subject>` span's, so the later span hangs under the consumer, else the one the envelope carried.
 */
export function handlingTraceparent(envelope: { traceparent?: string | undefined }): string | null {
  return traceparentOf() ?? envelope.traceparent ?? null;
}

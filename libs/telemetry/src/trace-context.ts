import { ROOT_CONTEXT, context } from '@opentelemetry/api';

/**
 * Runs `fn` outside any trace. A timer or loop started from a request or message handler would otherwise carry
 * that handler's trace into every later round (Node's async context follows setTimeout), growing one trace forever.
 */
export function outsideTrace<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}

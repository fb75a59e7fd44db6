import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '@helpdesk/platform';

/** What a handler may ask about the call it serves. */
export interface ActiveCall {
  readonly cancelled: boolean;
  getDeadline(): Date | number;
}

const current = new AsyncLocalStorage<ActiveCall>();

/** Runs `fn` as part of serving `call` (startGrpcServer does it for every unary handler). */
export function runInCall<T>(call: ActiveCall, fn: () => T): T {
  return current.run(call, fn);
}

function deadlineOf(call: ActiveCall): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

/** Milliseconds left before the deadline of the call being served; Infinity outside a call or without one. */
export function callTimeLeftMs(call: ActiveCall | undefined = current.getStore()): number {
  if (!call) return Number.POSITIVE_INFINITY;
  return deadlineOf(call) - Date.now();
}

/**
 * Throws UNAVAILABLE when the caller of the call being served has given up (cancelled, or its deadline passed):
 * call it inside a transaction just before it commits, so that a caller that saw a failure finds nothing written.
 * Outside a gRPC call (consumers, tests) it does nothing.
 */
export function assertCallerWaiting(): void {
  const call = current.getStore();
  if (!call) return;
  if (call.cancelled || callTimeLeftMs(call) <= 0) {
    throw new DomainError('UNAVAILABLE', 'The caller gave up before the change was committed');
  }
}

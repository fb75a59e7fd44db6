import type { ErrorCode } from '@helpdesk/platform';

/** Codes only the gateway raises (HTTP concerns with no gRPC counterpart). */
export type GatewayOnlyCode = 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_USE' | 'UNSUPPORTED_MEDIA_TYPE';
export type GatewayErrorCode = ErrorCode | GatewayOnlyCode;

/** An expected failure raised by the gateway itself; its message is safe to show to the caller. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

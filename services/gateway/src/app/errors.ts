import type { ErrorCode } from '@helpdesk/platform';

/** Codes only the gateway raises (HTTP concerns with no gRPC counterpart). */
export type GatewayOnlyCode = 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_USE' | 'UNSUPPORTED_MEDIA_TYPE';
export type GatewayErrorCode = ErrorCode | GatewayOnlyCode;

/** A refused request field, as the gateway itself reports it (answered as `error.details.fields`, ADR 0028). */
export interface FieldProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** An expected failure raised by the gateway itself; its message is safe to show to the caller. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    /** The request fields at fault, if the failure concerns fields. */
    readonly fields?: readonly FieldProblem[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

import { status as GrpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import { DomainError, ERROR_CODES, isErrorCode, type ErrorCode } from '@helpdesk/platform';

/** Metadata keys carrying the domain error across a gRPC hop. */
export const ERROR_CODE_METADATA = 'helpdesk-error-code';
export const ERROR_DETAILS_METADATA = 'helpdesk-error-details';

/** The one table: domain error code → gRPC status. */
export const GRPC_STATUS_BY_CODE: Readonly<Record<ErrorCode, GrpcStatus>> = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  ALREADY_EXISTS: GrpcStatus.ALREADY_EXISTS,
  CONFLICT: GrpcStatus.ABORTED,
  FAILED_PRECONDITION: GrpcStatus.FAILED_PRECONDITION,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  PERMISSION_DENIED: GrpcStatus.PERMISSION_DENIED,
  RATE_LIMITED: GrpcStatus.RESOURCE_EXHAUSTED,
  PAYLOAD_TOO_LARGE: GrpcStatus.OUT_OF_RANGE,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  INTERNAL: GrpcStatus.INTERNAL,
};

// Reverse of the table above, plus the statuses gRPC itself produces (deadlines, cancellations, …).
const CODE_BY_GRPC_STATUS: ReadonlyMap<GrpcStatus, ErrorCode> = new Map<GrpcStatus, ErrorCode>([
  ...ERROR_CODES.map((code) => [GRPC_STATUS_BY_CODE[code], code] as [GrpcStatus, ErrorCode]),
  [GrpcStatus.DEADLINE_EXCEEDED, 'UNAVAILABLE'],
  [GrpcStatus.CANCELLED, 'UNAVAILABLE'],
  [GrpcStatus.UNKNOWN, 'INTERNAL'],
  [GrpcStatus.UNIMPLEMENTED, 'INTERNAL'],
  [GrpcStatus.DATA_LOSS, 'INTERNAL'],
]);

/** The gateway's one table: domain error code → HTTP status. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  // 412 is reserved for HTTP conditional requests (If-Match); a business precondition is a conflict with state.
  FAILED_PRECONDITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function toGrpcStatus(code: ErrorCode): GrpcStatus {
  return GRPC_STATUS_BY_CODE[code];
}

export function fromGrpcStatus(status: GrpcStatus): ErrorCode {
  return CODE_BY_GRPC_STATUS.get(status) ?? 'INTERNAL';
}

export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}

/** Metadata that lets the caller rebuild the DomainError exactly. */
export function errorMetadata(error: DomainError): Metadata {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA, error.code);
  if (error.details !== undefined) {
    try {
      metadata.set(ERROR_DETAILS_METADATA, JSON.stringify(error.details));
    } catch {
      // Unserialisable details (cycles, BigInt) are dropped rather than failing the call.
    }
  }
  return metadata;
}

/** The `ServiceError`-shaped object a handler passes to its callback for a DomainError. */
export function toServiceError(error: DomainError): Partial<ServiceError> {
  return { code: toGrpcStatus(error.code), details: error.message, metadata: errorMetadata(error) };
}

// What grpc-js itself reports when the HTTP/2 stream or session under a call broke (a peer's GOAWAY, its
// RST_STREAM rate limit, a dropped connection): no handler answered, so the call may be retried.
const TRANSPORT_FAILURE = /^Received RST_STREAM with code \d+/;

/**
 * True for a failure of the channel rather than of a handler: INTERNAL or RESOURCE_EXHAUSTED that no handler
 * sent (handlers always send `helpdesk-error-code`) and that grpc-js made up from a broken stream or session.
 */
export function isTransportFailure(err: Pick<ServiceError, 'code' | 'details' | 'metadata'>): boolean {
  if (err.metadata?.get(ERROR_CODE_METADATA).length) return false;
  if (err.code === GrpcStatus.RESOURCE_EXHAUSTED) return true;
  return err.code === GrpcStatus.INTERNAL && TRANSPORT_FAILURE.test(err.details ?? '');
}

/** Rebuilds a DomainError from a failed call: the `helpdesk-error-code` metadata wins, else the status is mapped. */
export function fromGrpcError(err: ServiceError): DomainError {
  const fromMetadata = err.metadata?.get(ERROR_CODE_METADATA)[0];
  const code = isErrorCode(fromMetadata)
    ? fromMetadata
    : isTransportFailure(err)
      ? 'UNAVAILABLE'
      : fromGrpcStatus(err.code);
  let details: unknown;
  const rawDetails = err.metadata?.get(ERROR_DETAILS_METADATA)[0];
  if (typeof rawDetails === 'string') {
    try {
      details = JSON.parse(rawDetails);
    } catch {
      details = undefined;
    }
  }
  const message = err.details || err.message || code;
  return new DomainError(code, message, details);
}

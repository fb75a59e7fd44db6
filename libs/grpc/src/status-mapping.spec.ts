import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { DomainError, ERROR_CODES, notFound } from '@helpdesk/platform';
import {
  ERROR_CODE_METADATA,
  errorMetadata,
  fromGrpcError,
  fromGrpcStatus,
  httpStatusFor,
  isTransportFailure,
  toGrpcStatus,
  toServiceError,
} from './status-mapping';

function serviceError(code: status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe('status mapping', () => {
  it('maps codes to the agreed gRPC statuses', () => {
    expect(toGrpcStatus('INVALID_ARGUMENT')).toBe(status.INVALID_ARGUMENT);
    expect(toGrpcStatus('NOT_FOUND')).toBe(status.NOT_FOUND);
    expect(toGrpcStatus('ALREADY_EXISTS')).toBe(status.ALREADY_EXISTS);
    expect(toGrpcStatus('CONFLICT')).toBe(status.ABORTED);
    expect(toGrpcStatus('FAILED_PRECONDITION')).toBe(status.FAILED_PRECONDITION);
    expect(toGrpcStatus('UNAUTHENTICATED')).toBe(status.UNAUTHENTICATED);
    expect(toGrpcStatus('PERMISSION_DENIED')).toBe(status.PERMISSION_DENIED);
    expect(toGrpcStatus('RATE_LIMITED')).toBe(status.RESOURCE_EXHAUSTED);
    expect(toGrpcStatus('PAYLOAD_TOO_LARGE')).toBe(status.OUT_OF_RANGE);
    expect(toGrpcStatus('UNAVAILABLE')).toBe(status.UNAVAILABLE);
    expect(toGrpcStatus('INTERNAL')).toBe(status.INTERNAL);
  });

  it.each(ERROR_CODES)('%s round-trips code → gRPC status → code', (code) => {
    expect(fromGrpcStatus(toGrpcStatus(code))).toBe(code);
  });

  it('gives every code a distinct gRPC status', () => {
    expect(new Set(ERROR_CODES.map(toGrpcStatus)).size).toBe(ERROR_CODES.length);
  });

  it('maps statuses raised by gRPC itself', () => {
    expect(fromGrpcStatus(status.DEADLINE_EXCEEDED)).toBe('UNAVAILABLE');
    expect(fromGrpcStatus(status.CANCELLED)).toBe('UNAVAILABLE');
    expect(fromGrpcStatus(status.UNKNOWN)).toBe('INTERNAL');
    expect(fromGrpcStatus(status.UNIMPLEMENTED)).toBe('INTERNAL');
  });

  it('has the HTTP table of the gateway', () => {
    expect(Object.fromEntries(ERROR_CODES.map((c) => [c, httpStatusFor(c)]))).toEqual({
      INVALID_ARGUMENT: 400,
      UNAUTHENTICATED: 401,
      PERMISSION_DENIED: 403,
      NOT_FOUND: 404,
      ALREADY_EXISTS: 409,
      CONFLICT: 409,
      FAILED_PRECONDITION: 409,
      PAYLOAD_TOO_LARGE: 413,
      RATE_LIMITED: 429,
      UNAVAILABLE: 503,
      INTERNAL: 500,
    });
  });

  it('fromGrpcError prefers the helpdesk-error-code metadata and restores details', () => {
    // CONFLICT and an unrelated status: the metadata must win.
    const original = new DomainError('FAILED_PRECONDITION', 'Ticket is closed', { status: 'closed' });
    const err = serviceError(status.ABORTED, original.message, errorMetadata(original));
    const rebuilt = fromGrpcError(err);
    expect(rebuilt).toBeInstanceOf(DomainError);
    expect(rebuilt.code).toBe('FAILED_PRECONDITION');
    expect(rebuilt.message).toBe('Ticket is closed');
    expect(rebuilt.details).toEqual({ status: 'closed' });
  });

  it('fromGrpcError falls back to the status when the metadata is missing or unknown', () => {
    expect(fromGrpcError(serviceError(status.NOT_FOUND, 'gone')).code).toBe('NOT_FOUND');
    const bogus = new Metadata();
    bogus.set(ERROR_CODE_METADATA, 'TEAPOT');
    const e = fromGrpcError(serviceError(status.RESOURCE_EXHAUSTED, 'slow down', bogus));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toBe('slow down');
  });

  it('toServiceError carries status, message and code metadata', () => {
    const se = toServiceError(notFound('Ticket'));
    expect(se.code).toBe(status.NOT_FOUND);
    expect(se.details).toBe('Ticket not found');
    expect(se.metadata?.get(ERROR_CODE_METADATA)).toEqual(['NOT_FOUND']);
  });

  // What grpc-js reports when the peer closed the session (its RST_STREAM rate limit, GOAWAY): a 503, not a 500.
  it('maps the failures grpc-js makes up from a broken stream or session to UNAVAILABLE', () => {
    for (const details of [
      'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2',
      'Received RST_STREAM with code 2 (Internal server error)',
      'Received RST_STREAM with code 0 (Call ended without gRPC status)',
    ]) {
      const err = serviceError(status.INTERNAL, details);
      expect(isTransportFailure(err)).toBe(true);
      expect(fromGrpcError(err).code).toBe('UNAVAILABLE');
    }
    const calm = serviceError(status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded');
    expect(fromGrpcError(calm).code).toBe('UNAVAILABLE');
    expect(fromGrpcError(serviceError(status.UNAVAILABLE, 'Connection dropped')).code).toBe('UNAVAILABLE');
    expect(fromGrpcError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded')).code).toBe(
      'UNAVAILABLE',
    );
  });

  it('keeps a handler failure INTERNAL, and a rate limit RATE_LIMITED', () => {
    const handlerFailed = serviceError(
      status.INTERNAL,
      'Internal error',
      errorMetadata(new DomainError('INTERNAL', 'Internal error')),
    );
    expect(isTransportFailure(handlerFailed)).toBe(false);
    expect(fromGrpcError(handlerFailed).code).toBe('INTERNAL');
    // an INTERNAL another server sent without our metadata, not made up by the transport
    expect(fromGrpcError(serviceError(status.INTERNAL, 'Failed to serialize response')).code).toBe(
      'INTERNAL',
    );
    const limited = serviceError(
      status.RESOURCE_EXHAUSTED,
      'slow down',
      errorMetadata(new DomainError('RATE_LIMITED', 'x')),
    );
    expect(fromGrpcError(limited).code).toBe('RATE_LIMITED');
  });
});

/** Every error code a domain may raise; transports map them (gRPC status, HTTP status). */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** An expected failure with a code; its message is safe to show to the caller. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const invalidArgument = (message: string, details?: unknown) =>
  new DomainError('INVALID_ARGUMENT', message, details);
export const alreadyExists = (message: string) => new DomainError('ALREADY_EXISTS', message);
export const conflict = (message: string, details?: unknown) => new DomainError('CONFLICT', message, details);
export const failedPrecondition = (message: string, details?: unknown) =>
  new DomainError('FAILED_PRECONDITION', message, details);
export const unauthenticated = (message = 'Authentication required') =>
  new DomainError('UNAUTHENTICATED', message);
export const permissionDenied = (message = 'Permission denied') =>
  new DomainError('PERMISSION_DENIED', message);
export const rateLimited = (message = 'Too many requests') => new DomainError('RATE_LIMITED', message);
export const payloadTooLarge = (message = 'Payload too large') =>
  new DomainError('PAYLOAD_TOO_LARGE', message);
export const unavailable = (message = 'Service unavailable') => new DomainError('UNAVAILABLE', message);
export const internal = (message = 'Internal error') => new DomainError('INTERNAL', message);

import { status as GrpcStatus, type handleUnaryCall, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { DomainError, isDomainError, type Logger } from '@helpdesk/platform';
import { errorMetadata, toServiceError } from './status-mapping';

// Duck-typed so this lib needs no zod dependency and works across zod copies.
interface ZodLikeError {
  name: 'ZodError';
  issues: Array<{ path: PropertyKey[]; message: string; code?: string }>;
}

function isZodError(err: unknown): err is ZodLikeError {
  return (
    err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues)
  );
}

// Prisma's "no connection for a transaction in time" (P2028 at start), "pool timeout" (P2024) and "too many
// database connections" (P2037), and PostgreSQL's own too_many_connections (53300, from pg): the database is
// saturated, not broken; duck-typed so this lib needs no Prisma dependency.
function isDatabaseSaturated(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (
    code === 'P2024' ||
    code === 'P2037' ||
    code === '53300' ||
    (code === 'P2028' && /Unable to start a transaction/.test(err.message))
  );
}

/** Maps anything a handler throws to the error the caller receives. */
export function toDomainError(err: unknown): DomainError | undefined {
  if (isDomainError(err)) return err;
  if (isDatabaseSaturated(err)) return new DomainError('UNAVAILABLE', 'The database is busy; retry later');
  if (isZodError(err)) {
    const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return new DomainError('INVALID_ARGUMENT', `Invalid request: ${summary}`, { issues });
  }
  return undefined;
}

/**
 * Adapts an async handler to grpc-js: a DomainError (or ZodError → INVALID_ARGUMENT) becomes its status with
 * `helpdesk-error-code`/`helpdesk-error-details` metadata; anything else is logged and answers INTERNAL.
 */
export function unary<Req, Res>(
  handler: (request: Req, metadata: Metadata) => Promise<Res>,
  logger?: Logger,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request, call.metadata))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(handlerFailure(err, call.getPath(), logger)),
      );
  };
}

/** The status a caller receives for what a handler threw; unexpected errors are logged, never sent. */
export function handlerFailure(err: unknown, path: string, logger?: Logger): ServiceError {
  const domainError = toDomainError(err);
  if (domainError) {
    logger?.debug({ code: domainError.code, path }, 'grpc call failed');
    return toServiceError(domainError) as ServiceError;
  }
  // Never log the request: it may hold personal data or message bodies.
  logger?.error({ err, path }, 'grpc handler failed');
  // The metadata tells the caller a handler failed, not the transport (see isTransportFailure).
  const metadata = errorMetadata(new DomainError('INTERNAL', 'Internal error'));
  return { code: GrpcStatus.INTERNAL, details: 'Internal error', metadata } as ServiceError;
}

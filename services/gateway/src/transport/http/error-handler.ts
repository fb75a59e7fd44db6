import type { ErrorRequestHandler, RequestHandler } from 'express';
import { httpStatusFor } from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import { z } from 'zod';
import { GatewayError, type GatewayErrorCode } from '../../app/errors';
import { errorDetails } from './error-details';
import './request-context';
import type { ErrorBodyDto } from './schemas/common.schema';

export type ErrorBody = ErrorBodyDto;

export interface HttpErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Unexpected: log it with its stack. */
  unexpected: boolean;
}

const GATEWAY_STATUS: Partial<Record<GatewayErrorCode, number>> = {
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

function statusFor(code: GatewayErrorCode): number {
  return GATEWAY_STATUS[code] ?? httpStatusFor(code as Parameters<typeof httpStatusFor>[0]);
}

// What body-parser attaches to the errors it raises.
interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return err instanceof Error && typeof (err as { type?: unknown }).type === 'string';
}

/** The error answer; `fields` is whatever the failure says about the request's fields (see errorDetails). */
function respond(
  status: number,
  code: string,
  message: string,
  fields?: unknown,
  headers: Record<string, string> = {},
) {
  const details = errorDetails(fields, message);
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  if (status === 401) headers['WWW-Authenticate'] ??= 'Bearer realm="helpdesk"';
  return { status, body, headers, unexpected: false };
}

/** How the gateway answers errors. */
export interface ErrorAnswerOptions {
  /** The Retry-After of a 503 that does not bring its own. */
  retryAfterSeconds: number;
}

const DEFAULT_ERROR_ANSWER: ErrorAnswerOptions = { retryAfterSeconds: 1 };

/**
 * Maps anything a route throws to the HTTP answer `{error: {code, message, details?: {fields}}}`; never leaks
 * internals.
 * Every 503 says when to retry (a backing service at capacity, a broken channel, a passed deadline).
 */
export function toHttpError(
  err: unknown,
  options: ErrorAnswerOptions = DEFAULT_ERROR_ANSWER,
): HttpErrorResponse {
  const mapped = mapError(err);
  if (mapped.status === 503) mapped.headers['Retry-After'] ??= String(options.retryAfterSeconds);
  return mapped;
}

function mapError(err: unknown): HttpErrorResponse {
  if (err instanceof GatewayError) {
    return respond(statusFor(err.code), err.code, err.message, err.fields, { ...err.headers });
  }
  if (isDomainError(err)) {
    const status = statusFor(err.code);
    // Upstream 5xx messages can carry addresses or stack fragments: replace them.
    if (status >= 500) {
      const message = err.code === 'UNAVAILABLE' ? 'A backing service is unavailable' : 'Internal error';
      return { ...respond(status, err.code, message), unexpected: err.code !== 'UNAVAILABLE' };
    }
    return respond(status, err.code, err.message, err.details);
  }
  if (err instanceof z.ZodError) {
    const summary = err.issues
      .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
      .join('; ');
    return respond(400, 'INVALID_ARGUMENT', `Invalid request: ${summary}`, err);
  }
  // Express's router raises a URIError (status 400) for a path segment that is not valid percent-encoding
  // (`/tickets/%E0%A4%A`); its message quotes the path, so it is not echoed
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return respond(400, 'INVALID_ARGUMENT', 'Request path is not valid percent-encoding');
  }
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return respond(400, 'INVALID_ARGUMENT', 'Request body is not valid JSON');
      case 'entity.too.large':
        return respond(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return respond(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding or charset');
      default:
        if (err.status && err.status >= 400 && err.status < 500) {
          return respond(err.status, 'INVALID_ARGUMENT', 'Malformed request');
        }
    }
  }
  return { ...respond(500, 'INTERNAL', 'Internal error'), unexpected: true };
}

export function errorHandler(options: ErrorAnswerOptions = DEFAULT_ERROR_ANSWER): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const mapped = toHttpError(err, options);
    const log = req.log;
    if (mapped.unexpected) log?.error({ err }, 'request failed');
    else if (mapped.status >= 500)
      log?.warn({ code: mapped.body.error.code, err: (err as Error).message }, 'request failed');
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
    res.status(mapped.status).json(mapped.body);
  };
}

/** Unknown routes answer 404 in the common error shape. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    const { status, body } = respond(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`);
    res.status(status).json(body);
  };
}

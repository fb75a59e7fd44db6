import { Metadata, status } from '@grpc/grpc-js';
import { errorMetadata, fromGrpcError } from '@helpdesk/grpc';
import { DomainError, notFound } from '@helpdesk/platform';
import { z } from 'zod';
import { GatewayError } from '../../app/errors';
import { toHttpError } from './error-handler';

const bodyParserError = (type: string, status: number) => Object.assign(new Error(type), { type, status });

describe('toHttpError', () => {
  it('maps domain errors from the services through the one status table', () => {
    expect(toHttpError(notFound('ticket'))).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'ticket not found' } },
    });
    expect(toHttpError(new DomainError('ALREADY_EXISTS', 'email taken', { field: 'email' }))).toEqual({
      status: 409,
      body: {
        error: {
          code: 'ALREADY_EXISTS',
          message: 'email taken',
          details: { fields: [{ path: ['email'], message: 'email taken' }] },
        },
      },
      headers: {},
      unexpected: false,
    });
    // context that names no request field is not answered
    const stale = toHttpError(new DomainError('CONFLICT', 'changed meanwhile', { currentVersion: 3 }));
    expect(stale.body).toEqual({ error: { code: 'CONFLICT', message: 'changed meanwhile' } });
    expect(toHttpError(new DomainError('PERMISSION_DENIED', 'no')).status).toBe(403);
  });

  it('hides upstream messages of server errors', () => {
    const unavailable = toHttpError(new DomainError('UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.7:50052'));
    expect(unavailable.status).toBe(503);
    expect(JSON.stringify(unavailable.body)).not.toContain('10.0.0.7');
    const internal = toHttpError(new DomainError('INTERNAL', 'relation "tickets" does not exist'));
    expect(internal).toMatchObject({
      status: 500,
      unexpected: true,
      body: { error: { code: 'INTERNAL', message: 'Internal error' } },
    });
  });

  it('tells every 503 when to retry, keeping a Retry-After of its own', () => {
    expect(toHttpError(new DomainError('UNAVAILABLE', 'x')).headers['Retry-After']).toBe('1');
    expect(
      toHttpError(new DomainError('UNAVAILABLE', 'x'), { retryAfterSeconds: 5 }).headers['Retry-After'],
    ).toBe('5');
    const own = new GatewayError('UNAVAILABLE', 'full', undefined, { 'Retry-After': '9' });
    expect(toHttpError(own, { retryAfterSeconds: 5 })).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '9' },
    });
    expect(toHttpError(new DomainError('INTERNAL', 'x')).headers['Retry-After']).toBeUndefined();
  });

  // the statuses of an overloaded platform, as the gRPC client rebuilds them: 503 with Retry-After, never 500
  it('answers 503 to a broken channel, a passed deadline and a service at capacity, 500 to a handler failure', () => {
    const grpcFailure = (code: status, details: string, metadata = new Metadata()) =>
      fromGrpcError(Object.assign(new Error(details), { code, details, metadata }));
    for (const err of [
      grpcFailure(
        status.INTERNAL,
        'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2',
      ),
      grpcFailure(status.DEADLINE_EXCEEDED, 'Deadline exceeded after 5.001s'),
      grpcFailure(status.CANCELLED, 'Call cancelled'),
      grpcFailure(status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded'),
      grpcFailure(
        status.UNAVAILABLE,
        'The service is at capacity; retry later',
        errorMetadata(new DomainError('UNAVAILABLE', 'x')),
      ),
    ]) {
      expect(toHttpError(err)).toMatchObject({
        status: 503,
        headers: { 'Retry-After': '1' },
        unexpected: false,
      });
    }
    const handler = grpcFailure(
      status.INTERNAL,
      'Internal error',
      errorMetadata(new DomainError('INTERNAL', 'x')),
    );
    expect(toHttpError(handler)).toMatchObject({ status: 500, unexpected: true });
  });

  it('maps gateway codes, keeping their headers, and challenges on 401', () => {
    expect(toHttpError(new GatewayError('IDEMPOTENCY_KEY_REUSED', 'x')).status).toBe(422);
    expect(toHttpError(new GatewayError('IDEMPOTENCY_KEY_IN_USE', 'x')).status).toBe(409);
    expect(toHttpError(new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'x')).status).toBe(415);
    const limited = toHttpError(
      new GatewayError('RATE_LIMITED', 'slow down', undefined, { 'Retry-After': '42' }),
    );
    expect(limited).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
    expect(limited.body.error).not.toHaveProperty('details');
    const refused = toHttpError(
      new GatewayError('INVALID_ARGUMENT', 'assigneeId: no such user', [
        { path: ['assigneeId'], message: 'no such user' },
      ]),
    );
    expect(refused.body.error.details).toEqual({
      fields: [{ path: ['assigneeId'], message: 'no such user' }],
    });
    const unauth = toHttpError(new GatewayError('UNAUTHENTICATED', 'who?'));
    expect(unauth.status).toBe(401);
    expect(unauth.headers['WWW-Authenticate']).toMatch(/^Bearer/);
  });

  it('turns validation failures into 400 with the issues', () => {
    const result = z.strictObject({ title: z.string() }).safeParse({ title: 1, extra: true });
    if (result.success) throw new Error('expected a validation failure');
    const mapped = toHttpError(result.error);
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.code).toBe('INVALID_ARGUMENT');
    expect(mapped.body.error.details).toEqual({
      fields: [
        { path: ['title'], message: expect.stringMatching(/expected string/i) },
        { path: ['extra'], message: 'Unrecognized key' },
      ],
    });
    expect(mapped.body.error.message).toMatch(/^Invalid request: title: /);
  });

  it('maps body-parser failures', () => {
    expect(toHttpError(bodyParserError('entity.parse.failed', 400))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_ARGUMENT' } },
    });
    expect(toHttpError(bodyParserError('entity.too.large', 413))).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(toHttpError(bodyParserError('charset.unsupported', 415)).status).toBe(415);
  });

  it("answers the router's URIError of a path that is not percent-encoding with 400 (found by the REST fuzz)", () => {
    const uriError = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    expect(toHttpError(uriError)).toEqual({
      status: 400,
      body: { error: { code: 'INVALID_ARGUMENT', message: 'Request path is not valid percent-encoding' } },
      headers: {},
      unexpected: false,
    });
    // any other URIError is a fault of ours
    expect(toHttpError(new URIError('URI malformed')).status).toBe(500);
  });

  it('answers anything else with a bare 500', () => {
    const mapped = toHttpError(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(mapped).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Internal error' } },
      headers: {},
      unexpected: true,
    });
  });
});

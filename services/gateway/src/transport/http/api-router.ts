import express, { Router, type RequestHandler } from 'express';
import { GatewayError } from '../../app/errors';
import type { Authenticator } from '../../app/authenticate';
import type { IdempotencyStore } from '../../app/ports';
import { authenticate } from './middleware/auth.middleware';
import { idempotency } from './middleware/idempotency.middleware';
import { isIdempotentWrite, type AnyRoute, type StreamedResponse } from './route';
import './request-context';

export interface ApiRouterOptions {
  authenticator: Authenticator;
  operatorToken: string | undefined;
  idempotencyStore: IdempotencyStore;
}

/** Mounts every route spec: authentication for its access level, Idempotency-Key on writes, then validation. */
export function buildApiRouter(routes: readonly AnyRoute[], options: ApiRouterOptions): Router {
  const router = Router();
  for (const route of routes) {
    const chain: RequestHandler[] = [
      // The route template for the access log (req.baseUrl is gone by the time the response finishes).
      (req, res, next) => {
        res.locals.route = `${req.baseUrl}${route.path}`;
        next();
      },
    ];
    if (route.access !== 'public') chain.push(authenticate(route.access, options));
    if (isIdempotentWrite(route)) chain.push(idempotency(options.idempotencyStore));
    if (route.rawBody) chain.push(...rawBody(route.rawBody));
    chain.push(serve(route));
    router[route.method](route.path, ...chain);
  }
  return router;
}

function serve(route: AnyRoute): RequestHandler {
  return async (req, res) => {
    // A ZodError here becomes 400 INVALID_ARGUMENT in the error handler.
    const params = route.params ? route.params.parse(req.params) : undefined;
    const query = route.query ? route.query.parse(req.query) : undefined;
    const body = route.body ? route.body.parse(req.body) : undefined;
    const headers = route.headers ? route.headers.parse(req.headers) : undefined;
    const result = await route.handle({
      principal: req.principal,
      body,
      query,
      params,
      headers,
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      log: req.log,
      rawBody: route.rawBody && Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    if (route.streamed) await stream(res, route.response.status, result as StreamedResponse);
    else res.status(route.response.status).json(result);
  };
}

/** Bytes of the declared media types up to the limit (larger → 413, another type → 415). */
function rawBody(spec: NonNullable<AnyRoute['rawBody']>): RequestHandler[] {
  const requireType: RequestHandler = (req, _res, next) => {
    if (req.is(spec.contentTypes) === false || !req.is(spec.contentTypes)) {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `Request bodies must be ${spec.contentTypes.join(' or ')}`);
    }
    next();
  };
  return [requireType, express.raw({ type: spec.contentTypes, limit: spec.limit })];
}

async function stream(res: express.Response, status: number, answer: StreamedResponse): Promise<void> {
  const iterator = answer.chunks[Symbol.asyncIterator]();
  // the first chunk decides between the answer and an error (e.g. NOT_FOUND from upstream)
  let next = await iterator.next();
  res.status(status).setHeader('Content-Type', answer.contentType);
  if (answer.filename) res.setHeader('Content-Disposition', `attachment; filename="${answer.filename.replace(/["\\\r\n]/g, '_')}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    while (!next.done) {
      if (!res.write(next.value)) await new Promise((resolve) => res.once('drain', resolve));
      next = await iterator.next();
    }
    res.end();
  } catch (err) {
    // headers are gone: all that is left is to cut the answer short so the client sees it incomplete
    logStreamFailure(res, err);
    res.destroy();
  }
}

function logStreamFailure(res: express.Response, err: unknown): void {
  res.req.log?.warn({ err }, 'streamed answer failed midway');
}

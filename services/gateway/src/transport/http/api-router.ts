import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { Router, type RequestHandler, type Response } from 'express';
import type { Authenticator } from '../../app/authenticate';
import type { IdempotencyStore } from '../../app/ports';
import { authenticate } from './middleware/auth.middleware';
import { idempotency } from './middleware/idempotency.middleware';
import { GatewayError } from '../../app/errors';
import { ANY_FILE, isIdempotentWrite, MediaResponse, type AnyRoute } from './route';
import { contentDisposition } from './content-disposition';
import { readUpload } from './upload';
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
    if (!route.upload && req.is('multipart/form-data')) {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
    }
    // A ZodError here becomes 400 INVALID_ARGUMENT in the error handler.
    const params = route.params ? route.params.parse(req.params) : undefined;
    const query = route.query ? route.query.parse(req.query) : undefined;
    const body = route.body ? route.body.parse(req.body) : undefined;
    const headers = route.headers ? route.headers.parse(req.headers) : undefined;
    // an upload that fails part-way leaves the rest of the body unread: close rather than reuse the connection
    if (route.upload) res.setHeader('Connection', 'close');
    const file = route.upload ? await readUpload(req, route.upload.field) : undefined;
    const result = await route.handle({
      principal: req.principal,
      body,
      query,
      params,
      headers,
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      log: req.log,
      file,
      rawBody: route.rawBody && Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    if (!(result instanceof MediaResponse)) {
      res.status(route.response.status).json(result);
      return;
    }
    // the document promises only the media types the route lists
    const media = route.response.media ?? [];
    if (!media.includes(result.contentType) && !media.includes(ANY_FILE)) {
      throw new Error(`route ${route.operationId} answered undeclared media type ${result.contentType}`);
    }
    await sendMedia(res, result.options.status ?? route.response.status, result);
  };
}

/** Bytes of the declared media types up to the limit (larger → 413, another type → 415). */
function rawBody(spec: NonNullable<AnyRoute['rawBody']>): RequestHandler[] {
  const requireType: RequestHandler = (req, _res, next) => {
    if (!req.is(spec.contentTypes)) {
      throw new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Request bodies must be ${spec.contentTypes.join(' or ')}`,
      );
    }
    next();
  };
  return [requireType, express.raw({ type: spec.contentTypes, limit: spec.limit })];
}

async function sendMedia(res: Response, status: number, answer: MediaResponse): Promise<void> {
  res.status(status);
  // text answers are UTF-8 and say so
  const textual =
    typeof answer.body === 'string' &&
    /^text\//.test(answer.contentType) &&
    !/charset=/i.test(answer.contentType);
  res.setHeader('Content-Type', textual ? `${answer.contentType}; charset=utf-8` : answer.contentType);
  if (answer.filename) {
    res.setHeader(
      'Content-Disposition',
      contentDisposition(answer.options.inline ? 'inline' : 'attachment', answer.filename),
    );
  }
  for (const [name, value] of Object.entries(answer.options.headers ?? {})) res.setHeader(name, value);
  if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) {
    res.end(answer.body);
    return;
  }
  // headers are out once the first byte is: a failure after that can only cut the response short
  await pipeline(Readable.from(answer.body), res);
}

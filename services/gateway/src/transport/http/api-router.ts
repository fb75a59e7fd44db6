import { Router, type RequestHandler } from 'express';
import type { Authenticator } from '../../app/authenticate';
import type { IdempotencyStore } from '../../app/ports';
import { authenticate } from './middleware/auth.middleware';
import { idempotency } from './middleware/idempotency.middleware';
import { isIdempotentWrite, MediaResponse, type AnyRoute } from './route';
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
    });
    if (!(result instanceof MediaResponse)) {
      res.status(route.response.status).json(result);
      return;
    }
    // the document promises only the media types the route lists
    if (!route.response.media?.includes(result.contentType)) {
      throw new Error(`route ${route.operationId} answered undeclared media type ${result.contentType}`);
    }
    res.status(route.response.status).type(result.contentType);
    if (result.filename) res.attachment(result.filename);
    res.send(result.body);
  };
}

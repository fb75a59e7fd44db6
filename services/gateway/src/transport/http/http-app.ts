import express, { type Express } from 'express';
import {
  livenessHandler,
  readinessHandler,
  type AdmissionLimits,
  type HealthChecks,
  type Logger,
} from '@helpdesk/platform';
import type { IdempotencyStore } from '../../app/ports';
import { buildApiRouter } from './api-router';
import { errorHandler, notFoundHandler } from './error-handler';
import { admission } from './middleware/admission.middleware';
import { jsonBody } from './middleware/body.middleware';
import { requestContext } from './middleware/request-id.middleware';
import { corsPolicy, securityHeaders } from './middleware/security.middleware';
import { API_PREFIX, buildOpenApiDocument } from './openapi';
import type { AnyRoute } from './route';
import { docsRouter } from './routes/docs.routes';
import { apiRoutes, type RouteDeps } from './routes';
import type { LiveEvents } from './live-events';
import { webApp } from './web-app';

export interface HttpAppOptions extends RouteDeps {
  logger: Logger;
  idempotencyStore: IdempotencyStore;
  operatorToken: string | undefined;
  bodyLimit: string;
  corsOrigins: readonly string[];
  trustProxy: boolean | number | string;
  readiness: HealthChecks;
  /** Bounds on the API requests served at once and waiting; past them a request is answered 503 at once. */
  admission: AdmissionLimits;
  /** The Retry-After (seconds) of every 503. */
  retryAfterSeconds: number;
  /** GET /events and /portal/events; left out, those paths answer 404. */
  liveEvents?: LiveEvents;
  /** The web bundle (services/web/dist) served at / and /portal/<slug>; none when it has not been built. */
  webDir?: string;
}

/** The document served at /api/v1/openapi.json (and written by src/openapi-cli.ts for the web app's client). */
export function openApiDocument(routes: readonly AnyRoute[]) {
  return buildOpenApiDocument(routes, { title: 'Helpdesk API', version: '1.0.0' });
}

/** The gateway's Express app: cross-cutting middleware, /api/v1 routes, OpenAPI + docs, health. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);

  app.use(requestContext(options.logger));
  app.get('/healthz', livenessHandler());
  app.get('/readyz', readinessHandler(options.readiness));

  app.use(securityHeaders());
  app.use(corsPolicy(options.corsOrigins));

  const routes = apiRoutes(options);
  // Built once at start-up: a schema that cannot be described fails the boot, not a later request.
  const document = openApiDocument(routes);
  app.get(`${API_PREFIX}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  app.use(docsRouter());

  // Answers carry tenant data: no shared cache may keep them.
  app.use(API_PREFIX, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // long-lived streams, bounded by their own limit rather than holding API slots
  if (options.liveEvents) app.use(API_PREFIX, options.liveEvents.router);
  // before authentication and body parsing: a refused request costs next to nothing
  app.use(API_PREFIX, admission(options.admission, options.retryAfterSeconds));
  const routerOptions = {
    authenticator: options.authenticator,
    operatorToken: options.operatorToken,
    idempotencyStore: options.idempotencyStore,
  };
  // routes taking raw bytes (e.g. message/rfc822) read their own bodies, before the JSON parser refuses them
  app.use(
    API_PREFIX,
    buildApiRouter(
      routes.filter((r) => r.rawBody),
      routerOptions,
    ),
  );
  app.use(API_PREFIX, ...jsonBody(options.bodyLimit));
  app.use(
    API_PREFIX,
    buildApiRouter(
      routes.filter((r) => !r.rawBody),
      routerOptions,
    ),
  );

  const web = options.webDir ? webApp(options.webDir) : undefined;
  if (web) app.use(web);
  else if (options.webDir)
    options.logger.warn(
      { webDir: options.webDir },
      'web bundle not found: the console and portal are not served',
    );

  app.use(notFoundHandler());
  app.use(errorHandler({ retryAfterSeconds: options.retryAfterSeconds }));
  return app;
}

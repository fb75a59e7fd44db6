import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const DOCS_PREFIX = '/api/docs';

/**
 * helmet everywhere; the API answers JSON only (default-src 'none'), while the docs page may load its own
 * scripts and the inline styles swagger-ui uses.
 */
export function securityHeaders(): RequestHandler {
  const api = helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  return (req, res, next) =>
    req.path === DOCS_PREFIX || req.path.startsWith(`${DOCS_PREFIX}/`)
      ? docs(req, res, next)
      : api(req, res, next);
}

/** CORS for the listed origins only; with none listed, browsers on other origins get no CORS headers. */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
}

import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const DOCS_PREFIX = '/api/docs';

/**
 * The web app's policy (console and portal): its own scripts, styles and API only; no inline script or style
 * element, no eval, no plugin, no framing. Ticket bodies (sanitized HTML from the API) may show inline images.
 */
export const WEB_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The API's answers, health and anything under /api: JSON, never a page (default-src 'none'). */
function isApiPath(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p === '/healthz' || p === '/readyz';
}

/**
 * helmet everywhere; the API answers JSON only (default-src 'none'), the docs page may load its own scripts and
 * the inline styles swagger-ui uses, and the web app (every other path) its own files only.
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
  const web = helmet({ contentSecurityPolicy: { directives: WEB_CSP_DIRECTIVES } });
  return (req, res, next) => {
    if (req.path === DOCS_PREFIX || req.path.startsWith(`${DOCS_PREFIX}/`)) return docs(req, res, next);
    return isApiPath(req.path) ? api(req, res, next) : web(req, res, next);
  };
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

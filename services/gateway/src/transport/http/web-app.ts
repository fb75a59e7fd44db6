import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

const ONE_YEAR_SECONDS = 31_536_000;

/** Paths the web app never answers: the API, its docs, health. */
export function isReserved(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p === '/healthz' || p === '/readyz';
}

/**
 * The agent console (`/`, index.html) and the customer portal (`/portal/<slug>…`, portal.html) from the web
 * bundle's directory (services/web/dist): hashed assets cached for a year, the HTML pages never cached, client
 * routes answered with their app's page, the API's paths never. The pages' Content-Security-Policy is set by
 * securityHeaders. Undefined when the directory has no bundle.
 */
export function webApp(dir: string): Router | undefined {
  if (!existsSync(path.join(dir, 'index.html'))) return undefined;
  const router = express.Router();
  const page =
    (file: string): RequestHandler =>
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(dir, file), { dotfiles: 'deny' }, (err) => {
        if (err) next(err);
      });
    };

  // Vite names every file under assets/ by its content hash: a new build is a new name.
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      index: false,
      etag: false,
      setHeaders: (res) => res.setHeader('Cache-Control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`),
    }),
  );
  // a file at the top of the bundle (favicon.svg …), revalidated hourly
  const topFiles = express.static(dir, { index: false, etag: false, maxAge: '1h' });
  const consolePage = page('index.html');
  const portalPage = page('portal.html');
  router.get(/.*/, (req, res, next) => {
    if (isReserved(req.path)) return next();
    // a path with an extension is a file or nothing (404), never a client route
    if (/\.[a-z0-9]+$/i.test(req.path)) return topFiles(req, res, next);
    return req.path === '/portal' || req.path.startsWith('/portal/')
      ? portalPage(req, res, next)
      : consolePage(req, res, next);
  });
  return router;
}

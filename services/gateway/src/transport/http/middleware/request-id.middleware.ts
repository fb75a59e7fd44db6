import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '@helpdesk/platform';
import '../request-context';

// An incoming id is kept only when it is short and plain, so that it cannot inject into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function sanitizeRequestId(incoming: string | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Gives every request an id (echoed as `x-request-id`), a child logger carrying it, and one access-log line. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = sanitizeRequestId(req.get('x-request-id'));
    const started = process.hrtime.bigint();
    req.requestId = requestId;
    req.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const principal = req.principal;
      // Path only: query strings may hold personal data (e-mail filters, search text).
      req.log.info(
        {
          method: req.method,
          route: typeof res.locals.route === 'string' ? res.locals.route : undefined,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          tenantId: principal && principal.actor !== 'OPERATOR' ? principal.tenantId : undefined,
        },
        'request completed',
      );
    });
    next();
  };
}

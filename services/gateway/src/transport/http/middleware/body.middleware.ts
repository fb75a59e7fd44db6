import express, { type RequestHandler } from 'express';
import { GatewayError } from '../../../app/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * How deep a JSON body may nest. JSON.parse takes far deeper text, but what walks the value after it recurses
 * (the Idempotency-Key hash, zod, JSON.stringify): 5,000 levels of `[` overflowed the stack, a 500 the REST fuzz
 * found. No request of the API nests past a dozen levels.
 */
export const MAX_JSON_DEPTH = 64;

/** What a parsed JSON body may not hold, or undefined: checked iteratively, so any depth is safe to ask about. */
export function jsonBodyProblem(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): { kind: 'depth' } | { kind: 'nul'; path: Array<string | number> } | undefined {
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    // PostgreSQL text cannot hold U+0000: a string carrying one was a 500 wherever it was stored
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { kind: 'nul', path };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length + 1 > maxDepth) return { kind: 'depth' };
    for (const [key, child] of Object.entries(v)) {
      const at = [...path, Array.isArray(v) ? Number(key) : key];
      if (key.includes('\u0000')) return { kind: 'nul', path: at };
      stack.push([child, at]);
    }
  }
  return undefined;
}

/**
 * JSON bodies up to `limit` (larger → 413 from the error handler) and {@link MAX_JSON_DEPTH} levels, with no NUL
 * character in a string (else 400); a body of another type → 415.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // Only a request that carries a body must say it is JSON (an empty one, e.g. a POST to an action such as
    // /timer/start, has nothing to declare); uploads are checked by their routes.
    if (req.get('content-length') !== '0' && req.is(JSON_TYPES) === false && !req.is('multipart/form-data')) {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
    }
    next();
  };
  const refuseUnstorable: RequestHandler = (req, _res, next) => {
    const problem = jsonBodyProblem(req.body);
    if (problem?.kind === 'depth') {
      throw new GatewayError('INVALID_ARGUMENT', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    if (problem?.kind === 'nul') {
      const message = 'Text cannot contain the NUL character (U+0000)';
      throw new GatewayError('INVALID_ARGUMENT', message, [{ path: problem.path, message }]);
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: JSON_TYPES }), refuseUnstorable];
}

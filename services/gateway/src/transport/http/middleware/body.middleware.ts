import express, { type RequestHandler } from 'express';
import { GatewayError } from '../../../app/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * How deep a JSON body may nest. JSON.parse takes far deeper text, but what walks the value after it recurses
 * (the Idempotency-Key hash, zod, JSON.stringify): 5,000 levels of `[` overflowed the stack, a 500 the REST fuzz
 * found. No request of the API nests past a dozen levels.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests deeper than `max` arrays and objects; iterative, so any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON bodies up to `limit` (larger → 413 from the error handler) and {@link MAX_JSON_DEPTH} levels (deeper → 400);
 * a body of another type → 415.
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
  const limitDepth: RequestHandler = (req, _res, next) => {
    if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      throw new GatewayError('INVALID_ARGUMENT', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: JSON_TYPES }), limitDepth];
}

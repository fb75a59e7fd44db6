import express, { type RequestHandler } from 'express';
import { GatewayError } from '../../../app/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** JSON bodies up to `limit` (larger → 413 from the error handler); a body of another type → 415. */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // Only a request that carries a body must say it is JSON; uploads are checked by their routes.
    if (req.is(JSON_TYPES) === false && !req.is('multipart/form-data')) {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: JSON_TYPES })];
}

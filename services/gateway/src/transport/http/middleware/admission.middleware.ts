import type { RequestHandler } from 'express';
import { AdmissionLimiter, type AdmissionLimits } from '@helpdesk/platform';
import { GatewayError } from '../../../app/errors';

/**
 * Admission control for the API: at most `maxInFlight` requests are served at once and `maxQueued` wait (at
 * most `maxQueueMs`) for a slot; any other request is answered 503 with Retry-After at once. Past capacity a
 * caller gets a quick refusal it can retry instead of joining a queue that outlives its deadline.
 */
export function admission(limits: AdmissionLimits, retryAfterSeconds: number): RequestHandler {
  const limiter = new AdmissionLimiter(limits);
  return (req, res, next) => {
    void limiter.acquire().then((release) => {
      if (!release) {
        next(
          new GatewayError('UNAVAILABLE', 'The service is at capacity; retry later', undefined, {
            'Retry-After': String(retryAfterSeconds),
          }),
        );
        return;
      }
      // 'close' comes once the answer is sent and also when the client went away first
      res.once('close', release);
      // a client that left while its request waited needs no slot
      if (req.socket.destroyed) {
        release();
        return;
      }
      next();
    });
  };
}

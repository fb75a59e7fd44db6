import type { RequestHandler } from 'express';
import {
  decideIdempotency,
  IDEMPOTENCY_LOCK_SECONDS,
  IDEMPOTENCY_TTL_SECONDS,
  idempotencyRecordKey,
  requestHash,
  shouldStore,
  validateIdempotencyKey,
} from '../../../app/idempotency';
import type { IdempotencyStore } from '../../../app/ports';
import { principalId, principalTenant } from '../../../app/principal';
import '../request-context';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * `Idempotency-Key` on writes (docs/api.md "Idempotency"): the first request takes the key; its successful response
 * is kept for 24 h and replayed for a retry with the same body; another body → 422; a retry while the first runs
 * → 409; a failed request releases the key.
 * Must run after authentication (keys are per principal) and body parsing.
 */
export function idempotency(store: IdempotencyStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('idempotency-key');
    if (header === undefined) return next();
    validateIdempotencyKey(header);
    const principal = req.principal;
    if (!principal) throw new Error('idempotency middleware needs an authenticated request');

    const key = idempotencyRecordKey({
      tenantId: principalTenant(principal),
      principalId: principalId(principal),
      method: req.method,
      path: `${req.baseUrl}${req.path}`,
      key: header,
    });
    const hash = requestHash(req.body ?? null);
    const decision = decideIdempotency(await store.begin(key, hash, IDEMPOTENCY_LOCK_SECONDS), hash);

    if (decision.action === 'replay') {
      res.setHeader(REPLAYED_HEADER, 'true');
      res.status(decision.response.status).json(decision.response.body);
      return;
    }

    let settled = false;
    const send = res.json.bind(res);
    // Store before answering, so that a retry sent the moment the client sees this response is a replay.
    res.json = (body: unknown) => {
      if (settled) return send(body);
      settled = true;
      const status = res.statusCode;
      const persisted = shouldStore(status)
        ? store.complete(
            key,
            decision.token,
            { status, body: body ?? null, requestHash: hash },
            IDEMPOTENCY_TTL_SECONDS,
          )
        : store.abandon(key, decision.token);
      void persisted
        .catch((err: unknown) => req.log.warn({ err }, 'idempotency record not saved'))
        .finally(() => send(body));
      return res;
    };
    // Client gone or a response without a JSON body: free the key for a retry.
    res.on('close', () => {
      if (settled) return;
      settled = true;
      store
        .abandon(key, decision.token)
        .catch((err: unknown) => req.log.warn({ err }, 'idempotency key not released'));
    });
    next();
  };
}

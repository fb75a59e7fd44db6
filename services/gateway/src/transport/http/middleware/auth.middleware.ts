import { setRequestTenant } from '@helpdesk/telemetry';
import type { RequestHandler } from 'express';
import { bearerToken, isOperatorToken, type Authenticator } from '../../../app/authenticate';
import { GatewayError } from '../../../app/errors';
import type { Access } from '../route';
import '../request-context';

/**
 * Resolves `Authorization: Bearer <token>` into `req.principal` for the route's access level:
 * tenant (agent JWT or API key), user (agent JWT of either role, not an API key), admin (JWT with role admin),
 * contact (portal session), or operator (HELPDESK_OPERATOR_TOKEN).
 */
export function authenticate(
  access: Exclude<Access, 'public'>,
  options: { authenticator: Authenticator; operatorToken: string | undefined },
): RequestHandler {
  return async (req, _res, next) => {
    if (access === 'operator' && !options.operatorToken) {
      throw new GatewayError('PERMISSION_DENIED', 'Tenant creation through the API is disabled');
    }
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new GatewayError('UNAUTHENTICATED', 'Authorization: Bearer <token> required');

    if (access === 'operator') {
      if (isOperatorToken(token, options.operatorToken)) {
        req.principal = { actor: 'OPERATOR' };
        return next();
      }
      // A valid tenant credential is authenticated but not allowed; anything else is not authenticated.
      req.principal = await options.authenticator.authenticate(token);
      throw new GatewayError('PERMISSION_DENIED', 'Only the platform operator may do this');
    }

    const principal = await options.authenticator.authenticate(token);
    req.principal = principal;
    // the request's server span names the tenant it acted for
    setRequestTenant(req, principal.tenantId);
    // portal sessions and agent credentials each open only their own half of the API
    if (access === 'contact') {
      if (principal.actor !== 'CONTACT') {
        throw new GatewayError(
          'PERMISSION_DENIED',
          'This is the customer portal API; sign in at /portal/auth/login',
        );
      }
      return next();
    }
    if (principal.actor === 'CONTACT') {
      throw new GatewayError('PERMISSION_DENIED', 'A portal session cannot use the agent API');
    }
    if (access === 'user' && principal.actor !== 'USER') {
      // an API key carries no scopes yet: it does not read the tenant's people (ADR 50)
      throw new GatewayError('PERMISSION_DENIED', 'Only signed-in agents may do this, not API keys');
    }
    if (access === 'admin' && !(principal.actor === 'USER' && principal.role === 'admin')) {
      throw new GatewayError('PERMISSION_DENIED', 'Only tenant admins may do this');
    }
    next();
  };
}

import { GatewayError } from '../../../app/errors';
import { toUserDto } from '../mappers/identity.mapper';
import { throttledSignIn } from '../../../app/login-throttle';
import { isoOrNull } from '../../../app/rest-values';
import { defineRoute, type AnyRoute } from '../route';
import { loginBodySchema, loginResponseSchema } from '../schemas/auth.schema';
import type { RouteDeps } from './route-deps';

export function authRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      summary: 'Agent sign-in: exchanges e-mail and password for a bearer token',
      tag: 'auth',
      access: 'public',
      body: loginBodySchema,
      response: { status: 200, description: 'Signed in', schema: loginResponseSchema },
      errors: [401, 429],
      handle: async ({ body, ip }) => {
        const response = await throttledSignIn(
          deps.loginCounter,
          { email: body.email, ip },
          deps.loginThrottle,
          'login',
          () => deps.identity.login({ email: body.email, password: body.password }),
        );
        if (!response.user || !response.token)
          throw new GatewayError('INTERNAL', 'Identity service returned no session');
        return {
          token: response.token,
          user: toUserDto(response.user),
          expiresAt: isoOrNull(response.expiresAt),
        };
      },
    }),
  ];
}

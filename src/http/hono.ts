/**
 * `jotjs/hono`: `jotAuth(options)` is Hono middleware (Hono 4, an optional peer dependency) that authenticates the
 * request and sets the context variable `auth` (`c.get('auth')`), or answers 400/401/403/503 itself.
 */
import type { MiddlewareHandler } from 'hono';
import type { JwtClaims } from '../jwt/types.js';
import { toAuthenticator } from './authenticate.js';
import { failureBody } from './challenge.js';
import { authInfo } from './node.js';
import type { AuthInfo, AuthOptions, Authenticator, RouteAuthOptions } from './types.js';

export type { AuthInfo, AuthOptions, Authenticator, RouteAuthOptions } from './types.js';

/** The context variables `jotAuth` sets. */
export interface JotHonoEnv<T extends object = JwtClaims> {
  Variables: { auth: AuthInfo<T> };
}

/**
 * Hono middleware. `c.req.url` (absolute) gives DPoP's `htu`; behind a proxy set `dpop.origin`.
 *
 * @example
 * app.get('/orders', jotAuth(auth, { scopes: ['orders:read'] }), (c) => c.json(c.get('auth').claims));
 */
export function jotAuth<T extends object = JwtClaims>(
  options: AuthOptions | Authenticator<T>,
  route?: RouteAuthOptions,
): MiddlewareHandler<JotHonoEnv<T>> {
  let auth = toAuthenticator<T>(options);
  if (route?.scopes !== undefined) auth = auth.withScopes(route.scopes);
  return async (c, next) => {
    const r = await auth.authenticate({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers });
    if (!r.ok) {
      return c.body(failureBody(r), r.status, { ...r.headers, 'content-type': 'application/json; charset=utf-8' });
    }
    for (const name in r.headers) c.header(name, r.headers[name]);
    c.set('auth', authInfo(r));
    await next();
    return undefined;
  };
}

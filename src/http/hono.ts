/**
 * `jotjs/hono`: `jotAuth(options)` is Hono middleware (Hono 4, an optional peer dependency) that authenticates the
 * request and sets the context variable `auth` (`c.get('auth')`), or answers 400/401/403/503 itself.
 */
import type { MiddlewareHandler } from 'hono';
import type { JwtClaims } from '../jwt/types.js';
import { callerError } from '../options.js';
import { requestAuthenticator, routeAuthenticator } from './authenticate.js';
import { failureBody } from './challenge.js';
import { authInfo } from './node.js';
import type { AuthInfo, AuthOptions, AuthResult, Authenticator, RouteAuthOptions } from './types.js';

export type { AuthInfo, AuthOptions, Authenticator, RouteAuthOptions } from './types.js';

/** The context variables `jotAuth` sets. */
export interface JotHonoEnv<T extends object = JwtClaims> {
  /** `auth`: what `c.get('auth')` returns on a protected route. */
  Variables: { auth: AuthInfo<T> };
}

/**
 * Hono middleware. `c.req.url` (absolute) gives DPoP's `htu`; behind a proxy set `dpop.origin`. Throws
 * `ERR_INVALID_OPTION` for unusable options.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { type JotHonoEnv, jotAuth } from 'jotjs/hono';
 * const app = new Hono<JotHonoEnv>();
 * const auth = jotAuth({ key: publicKey, issuer: 'https://idp.example', audience: 'api' }, { scopes: ['orders:read'] });
 * app.get('/orders', auth, (c) => c.json(c.get('auth').claims));
 * ```
 */
export function jotAuth<T extends object = JwtClaims>(
  options: AuthOptions | Authenticator<T>,
  route?: RouteAuthOptions,
): MiddlewareHandler<JotHonoEnv<T>> {
  const run = requestAuthenticator(routeAuthenticator<T>(options, route));
  return async (c, next) => {
    let pending: Promise<AuthResult<T>>;
    try {
      const req = c.req;
      pending = run(req.method, req.url, req.raw.headers, undefined);
    } catch (e) {
      throw callerError(e);
    }
    const r = await pending;
    if (!r.ok) {
      return c.body(failureBody(r), r.status, { ...r.headers, 'content-type': 'application/json; charset=utf-8' });
    }
    for (const name in r.headers) c.header(name, r.headers[name]);
    c.set('auth', authInfo(r));
    await next();
    return undefined;
  };
}

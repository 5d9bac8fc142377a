/**
 * `jotjs/express`: `jotAuth(options)` is Express middleware (Express 4 or 5, an optional peer dependency) that
 * authenticates the request and sets `req.auth` (`{ claims, token, scheme }`), or answers 400/401/403/503 itself.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isObject } from '../encoding/json.js';
import { err } from '../errors.js';
import type { JwtClaims } from '../jwt/types.js';
import { callerError, callerRead } from '../options.js';
import { requestAuthenticator, routeAuthenticator } from './authenticate.js';
import { authenticateNode, authInfo, setSuccessHeaders, writeFailure } from './node.js';
import type { AuthInfo, AuthOptions, AuthResult, Authenticator, RouteAuthOptions } from './types.js';

export type { AuthInfo, AuthOptions, Authenticator, RouteAuthOptions } from './types.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by `jotAuth` once the request is authenticated. */
      auth?: AuthInfo<JwtClaims>;
    }
  }
}

/**
 * Express middleware. Pass options (compiled once here) or an `Authenticator` shared by several routes; `route`
 * adds per-route scopes. `req.protocol` (which honours Express's `trust proxy`) and `req.originalUrl` give DPoP's
 * `htu`. Throws `ERR_INVALID_OPTION` for unusable options.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createAuthenticator } from 'jotjs/http';
 * import { jotAuth } from 'jotjs/express';
 * const app = express();
 * const auth = createAuthenticator({ key: publicKey, issuer: 'https://idp.example', audience: 'api' });
 * app.get('/orders', jotAuth(auth, { scopes: ['orders:read'] }), (req, res) => res.json(req.auth?.claims));
 * ```
 */
export function jotAuth<T extends object = JwtClaims>(
  options: AuthOptions | Authenticator<T>,
  route?: RouteAuthOptions,
): RequestHandler {
  const run = requestAuthenticator(routeAuthenticator<T>(options, route));
  return (req: Request, res: Response, next: NextFunction): void => {
    let pending: Promise<AuthResult<T>>;
    try {
      pending = authenticateNode(run, req, req.originalUrl, req.protocol);
    } catch (e) {
      throw callerError(e);
    }
    pending.then((r) => {
      if (!r.ok) return writeFailure(res, r);
      setSuccessHeaders(res, r.headers);
      req.auth = authInfo(r) as AuthInfo<JwtClaims>;
      next();
    }, next);
  };
}

/**
 * `req.auth` with your claims type (set by `jotAuth`); throws `ERR_INVALID_OPTION` when the route is not protected.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { getAuth, jotAuth } from 'jotjs/express';
 * const app = express();
 * app.get('/me', jotAuth({ key: publicKey, issuer: 'https://idp.example', audience: 'api' }), (req, res) => {
 *   res.json({ sub: getAuth<{ tenant: string }>(req).claims.tenant });
 * });
 * ```
 */
export function getAuth<T extends object = JwtClaims>(req: Request): AuthInfo<T> {
  const info = callerRead(() => {
    const auth: unknown = typeof req === 'object' && req !== null ? req.auth : undefined;
    if (!isObject(auth)) return undefined;
    const { claims, token, scheme, protectedHeader, jkt } = auth;
    if (!isObject(claims) || typeof token !== 'string' || (scheme !== 'Bearer' && scheme !== 'DPoP')) return undefined;
    if (!isObject(protectedHeader) || (jkt !== undefined && typeof jkt !== 'string')) return undefined;
    return auth;
  }, 'request');
  if (info === undefined) throw err('ERR_INVALID_OPTION', 'this route is not protected by jotAuth');
  return info as unknown as AuthInfo<T>;
}

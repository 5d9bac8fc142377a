/**
 * `jotjs/fastify`: the default export is a Fastify plugin (Fastify 4 or 5, an optional peer dependency). It
 * decorates `request.auth` and `fastify.jotAuth` (an `onRequest` / `preHandler` hook), `fastify.jotScopes(scopes)`
 * (the same, requiring scopes), and with `global: true` protects every route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { err } from '../errors.js';
import type { JwtClaims } from '../jwt/types.js';
import { callerError, snapshot } from '../options.js';
import { createAuthenticator, requestAuthenticator, routeAuthenticator } from './authenticate.js';
import { failureBody } from './challenge.js';
import { authenticateNode, authInfo } from './node.js';
import type { AuthInfo, AuthOptions, AuthResult, Authenticator, RouteAuthOptions } from './types.js';

export type { AuthInfo, AuthOptions, Authenticator, RouteAuthOptions } from './types.js';

/** A hook that authenticates (and answers failures itself). */
export type JotAuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the jot hook once the request is authenticated; `null` before (or on unprotected routes). */
    auth: AuthInfo<JwtClaims> | null;
  }
  interface FastifyInstance {
    /** Authenticates the request: use as `onRequest` (or `preHandler`) of a route. */
    jotAuth: JotAuthHook;
    /** A hook that authenticates and requires these scopes. */
    jotScopes(scopes: readonly string[]): JotAuthHook;
  }
}

/** Plugin options: the authentication options (or `authenticator`), and `global` to protect every route. */
export interface JotFastifyOptions extends AuthOptions {
  /** Add the hook to every route of this instance (`onRequest`). */
  global?: boolean;
  /** A prebuilt authenticator instead of authentication options. */
  authenticator?: Authenticator;
}

/** Options Fastify's `register` itself may carry: not authentication options. */
const REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

function hook(auth: Authenticator): JotAuthHook {
  const run = requestAuthenticator(auth);
  return async (request, reply) => {
    let pending: Promise<AuthResult>;
    try {
      pending = authenticateNode(run, request.raw, request.url, request.protocol);
    } catch (e) {
      throw callerError(e);
    }
    const r = await pending;
    if (!r.ok) {
      return reply.code(r.status).headers(r.headers).type('application/json; charset=utf-8').send(failureBody(r));
    }
    for (const name in r.headers) reply.header(name, r.headers[name]);
    request.auth = authInfo(r);
    return undefined;
  };
}

/**
 * A hook for one route or scope with its own policy, without the plugin's decorations (register the plugin once
 * for `request.auth`'s declaration; hooks also work without it). Throws `ERR_INVALID_OPTION` for unusable options.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { jotHook } from 'jotjs/fastify';
 * const app = Fastify();
 * const adminAuth = { key: publicKey, issuer: 'https://idp.example', audience: 'admin' };
 * app.get('/admin', { onRequest: jotHook(adminAuth, { scopes: ['admin'] }) }, async (request) => request.auth?.claims);
 * ```
 */
export function jotHook<T extends object = JwtClaims>(
  options: AuthOptions | Authenticator<T>,
  route?: RouteAuthOptions,
): JotAuthHook {
  return hook(routeAuthenticator<T>(options, route) as unknown as Authenticator);
}

const PLUGIN_OPTIONS = 'the jot plugin options';

/**
 * The jot Fastify plugin. Register it once per Fastify instance (its decorations are visible to child scopes);
 * use {@link jotHook} for routes with another policy. Rejects with `ERR_INVALID_OPTION` for unusable options or
 * a second registration on one instance.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { jotFastify } from 'jotjs/fastify';
 * const app = Fastify();
 * await app.register(jotFastify, { key: publicKey, issuer: 'https://idp.example', audience: 'api' });
 * app.get('/orders', { onRequest: app.jotScopes(['orders:read']) }, async (request) => request.auth?.claims);
 * ```
 */
async function jotFastify(fastify: FastifyInstance, options: JotFastifyOptions): Promise<void> {
  try {
    register(fastify, options);
  } catch (e) {
    throw callerError(e);
  }
}

function register(fastify: FastifyInstance, options: JotFastifyOptions): void {
  if (typeof fastify !== 'object' || fastify === null || typeof fastify.hasDecorator !== 'function') {
    throw err('ERR_INVALID_OPTION', 'jotFastify is registered on a Fastify instance');
  }
  const rest = snapshot(options, PLUGIN_OPTIONS);
  const { global, authenticator } = rest;
  delete rest.global;
  delete rest.authenticator;
  for (const name of REGISTER_OPTIONS) delete rest[name];
  if (global !== undefined && typeof global !== 'boolean') throw err('ERR_INVALID_OPTION', 'global must be a boolean');
  let auth: Authenticator;
  if (authenticator !== undefined) {
    if (Object.keys(rest).length > 0) {
      throw err('ERR_INVALID_OPTION', 'pass either authenticator or authentication options, not both');
    }
    auth = routeAuthenticator(authenticator as Authenticator, undefined);
  } else {
    auth = createAuthenticator(rest);
  }
  if (fastify.hasDecorator('jotAuth')) {
    throw err(
      'ERR_INVALID_OPTION',
      'the jot plugin is already registered here: use jotHook(options) for another policy',
    );
  }
  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', null);
  fastify.decorate('jotAuth', hook(auth));
  fastify.decorate('jotScopes', (scopes: readonly string[]) => hook(routeAuthenticator(auth, { scopes })));
  if (global === true) fastify.addHook('onRequest', hook(auth));
}

// What fastify-plugin sets: the decorations apply to the instance that registers the plugin, not a child scope.
Object.assign(jotFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'jotjs',
  [Symbol.for('plugin-meta')]: { name: 'jotjs', fastify: '>=4' },
});

export default jotFastify;
export { jotFastify };

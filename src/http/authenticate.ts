import { isObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import type { JwtClaims, PortableJwtVerifier } from '../jwt/types.js';
import { createVerifier } from '../jwt/verify.js';
import { callerError, callerRead, intOption, readOptions, snapshot } from '../options.js';
import { challengeContext } from './challenge.js';
import type { Sources } from './credentials.js';
import { compileDpop } from './dpop-policy.js';
import { badRequest, type Compiled, type Route, run } from './request.js';
import { scopesOption } from './scope.js';
import type { AuthOptions, AuthRequest, AuthResult, Authenticator, RouteAuthOptions } from './types.js';

const HTTP_OPTIONS = ['verifier', 'scopes', 'realm', 'tokenFrom', 'profile', 'maxHeaderLength', 'dpop'];
const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];
/** RFC 9110 quoted-string content without `"` and `\`. */
const REALM = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

function compileSources(value: unknown): Sources {
  const list = value === undefined ? ['header'] : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) throw err('ERR_INVALID_OPTION', 'tokenFrom must list token sources');
  const s: Sources = { header: false, query: false, cookie: undefined };
  for (const v of list) {
    if (v === 'header') s.header = true;
    else if (v === 'query') s.query = true;
    else if (typeof v === 'string' && /^cookie:[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v) && s.cookie === undefined) {
      s.cookie = v.slice(7);
    } else {
      throw err('ERR_INVALID_OPTION', 'tokenFrom entries are "header", "query" or "cookie:NAME" (one cookie)');
    }
  }
  return s;
}

function compileVerifier(o: Record<string, unknown>, rest: Record<string, unknown>): PortableJwtVerifier {
  if (o.verifier !== undefined) {
    const v = o.verifier as PortableJwtVerifier;
    if (typeof v !== 'object' || v === null || typeof v.verify !== 'function') {
      throw err('ERR_INVALID_OPTION', 'verifier must be a createVerifier() result');
    }
    if (Object.keys(rest).length > 0 || o.profile !== undefined) {
      throw err('ERR_INVALID_OPTION', 'pass either verifier or the options to build one, not both');
    }
    return v;
  }
  const options: Record<string, unknown> = { strict: true, ...rest };
  if (o.profile !== undefined) {
    if (o.profile !== 'rfc9068') throw err('ERR_INVALID_OPTION', 'profile must be "rfc9068"');
    if (options.typ === undefined) options.typ = 'at+jwt';
    const required = Array.isArray(options.requiredClaims) ? (options.requiredClaims as string[]) : [];
    options.requiredClaims = [...new Set([...required, ...RFC9068_CLAIMS])];
  }
  return createVerifier(options as never);
}

function compile(options: unknown): Compiled {
  if (!isObject(options)) throw err('ERR_INVALID_OPTION', 'authentication options must be an object');
  const all = snapshot(options, 'authentication');
  const o: Record<string, unknown> = Object.create(null);
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(all)) {
    const v = all[name];
    if (HTTP_OPTIONS.includes(name)) o[name] = v;
    else rest[name] = v;
  }
  const realm = o.realm;
  if (realm !== undefined && (typeof realm !== 'string' || !REALM.test(realm) || realm.length > 256)) {
    throw err('ERR_INVALID_OPTION', 'realm must be printable ASCII without " or \\');
  }
  const dpop = compileDpop(o.dpop);
  const schemes = new Set<string>(['bearer']);
  if (dpop !== undefined) schemes.add('dpop');
  if (dpop?.required === true) schemes.delete('bearer');
  return {
    scopes: scopesOption(o.scopes),
    verifier: compileVerifier(o, rest),
    ctx: challengeContext(realm === undefined ? '' : `realm="${realm}"`, dpop?.required !== true, dpop?.algsParam),
    sources: compileSources(o.tokenFrom),
    schemes,
    maxHeader: intOption(o.maxHeaderLength, 'maxHeaderLength', 16_384, 256, 1_048_576),
    dpop,
  };
}

/** A copy of a caller's array (read once), or the value itself when it is not an array. */
function callerCopy(v: unknown): unknown {
  return callerRead(() => (Array.isArray(v) ? [...(v as unknown[])] : v), 'scopes');
}

/**
 * Authenticates a request given by its members (each read once by the caller): `method`, `url` (strings), `headers`
 * (an object or a `Headers`), `protocol`. Rejects with `ERR_INVALID_OPTION` for members of other types. @internal
 */
export type RequestAuthenticator<T extends object> = (
  method: unknown,
  url: unknown,
  headers: unknown,
  protocol: unknown,
) => Promise<AuthResult<T>>;

/** The authenticators this module made, and how each runs a request given by its members. */
const ours = new WeakMap<object, RequestAuthenticator<object>>();

function authenticator<T extends object>(c: Compiled, scopes: readonly string[]): Authenticator<T> {
  const route: Route = Object.freeze({ c, scopes, scopeParam: scopes.join(' ') });
  const members: RequestAuthenticator<T> = (method, url, headers, protocol) =>
    run<T>(route, method, url, headers, protocol);
  const a: Authenticator<T> = Object.freeze({
    realm: c.ctx.realm === '' ? undefined : c.ctx.realm.slice(7, -1),
    authenticate(request: AuthRequest): Promise<AuthResult<T>> {
      // The named members, read once each (a Fetch Request has them as prototype getters, not own properties).
      if (!isObject(request)) return Promise.reject(badRequest());
      let method: unknown;
      let url: unknown;
      let headers: unknown;
      let protocol: unknown;
      try {
        method = request.method;
        url = request.url;
        headers = request.headers;
        protocol = request.protocol;
      } catch (e) {
        return Promise.reject(e instanceof JotError ? e : err('ERR_INVALID_OPTION', 'request could not be read', e));
      }
      return run<T>(route, method, url, headers, protocol);
    },
    withScopes(more: readonly string[]): Authenticator<T> {
      try {
        return authenticator<T>(c, Object.freeze([...new Set([...scopes, ...scopesOption(callerCopy(more))])]));
      } catch (e) {
        throw callerError(e);
      }
    },
  });
  ours.set(a, members as RequestAuthenticator<object>);
  return a;
}

/**
 * How an adapter runs a request through `auth`: directly for an authenticator made here (no request object built,
 * no member read twice), else through the caller's `authenticate` (made safe by `checkedAuthenticator`). @internal
 */
export function requestAuthenticator<T extends object>(auth: Authenticator<T>): RequestAuthenticator<T> {
  const mine = ours.get(auth);
  if (mine !== undefined) return mine as RequestAuthenticator<T>;
  return (method, url, headers, protocol) =>
    auth.authenticate(
      (protocol === undefined ? { method, url, headers } : { method, url, headers, protocol }) as AuthRequest,
    );
}

/**
 * Compile authentication options once: the verifier (from its options, `strict` by default), the token sources,
 * the realm, scopes and DPoP policy. Throws `ERR_INVALID_OPTION` for unusable options.
 *
 * @example
 * ```ts
 * import { createAuthenticator } from 'jotjs/http';
 * const auth = createAuthenticator({ key: publicKey, issuer: 'https://idp.example', audience: 'api', realm: 'api' });
 * const request = new Request('https://api.example/orders', { headers: { authorization: `Bearer ${token}` } });
 * const result = await auth.authenticate(request);
 * if (result.ok) console.log(result.claims.sub);
 * ```
 */
export function createAuthenticator<T extends object = JwtClaims>(options: AuthOptions): Authenticator<T> {
  try {
    const c = compile(options);
    return authenticator<T>(c, c.scopes);
  } catch (e) {
    throw callerError(e);
  }
}

const compiledOptions = new WeakMap<object, Authenticator<object>>();

/** An authenticator for `options` (compiled once per options object) or `options` itself. @internal */
export function toAuthenticator<T extends object>(options: AuthOptions | Authenticator<T>): Authenticator<T> {
  if (typeof options === 'object' && options !== null && ours.has(options)) return options as Authenticator<T>;
  if (callerRead(() => isAuthenticator(options), 'options')) return checkedAuthenticator(options as Authenticator<T>);
  if (!isObject(options)) throw err('ERR_INVALID_OPTION', 'authentication options must be an object');
  let a = compiledOptions.get(options as object);
  if (a === undefined) {
    a = createAuthenticator(options as AuthOptions);
    compiledOptions.set(options as object, a);
  }
  return a as Authenticator<T>;
}

/**
 * An authenticator the caller passed, called through a wrapper: an object that looks like one (a Proxy, a
 * hand-made object) may still throw anything, which becomes `ERR_INVALID_OPTION`.
 */
function checkedAuthenticator<T extends object>(a: Authenticator<T>): Authenticator<T> {
  if (ours.has(a)) return a;
  const realm = callerRead(() => a.realm, 'authenticator');
  return Object.freeze({
    realm: typeof realm === 'string' ? realm : undefined,
    async authenticate(request: AuthRequest): Promise<AuthResult<T>> {
      try {
        return await a.authenticate(request);
      } catch (e) {
        throw callerError(e);
      }
    },
    withScopes(more: readonly string[]): Authenticator<T> {
      try {
        return checkedAuthenticator(a.withScopes(more));
      } catch (e) {
        throw callerError(e);
      }
    },
  });
}

/**
 * What an adapter uses for one route: `options` compiled (or the caller's authenticator) with the route's extra
 * scopes. Throws `ERR_INVALID_OPTION`. @internal
 */
export function routeAuthenticator<T extends object>(
  options: AuthOptions | Authenticator<T>,
  route: RouteAuthOptions | undefined,
): Authenticator<T> {
  try {
    const r = readOptions(route, ROUTE_OPTIONS, 'route');
    const auth = toAuthenticator<T>(options);
    return r.scopes === undefined ? auth : auth.withScopes(r.scopes as readonly string[]);
  } catch (e) {
    throw callerError(e);
  }
}

const ROUTE_OPTIONS: ReadonlySet<string> = new Set(['scopes']);

function isAuthenticator(v: unknown): v is Authenticator<object> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Authenticator).authenticate === 'function' &&
    typeof (v as Authenticator).withScopes === 'function'
  );
}

/**
 * Authenticate one request (RFC 6750 bearer tokens, and RFC 9449 DPoP when enabled). Never throws for a bad
 * request: the result says what to answer. Options are compiled once per options object (or pass an
 * `Authenticator`); option errors throw `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { authenticate, failureBody } from 'jotjs/http';
 * const request = new Request('https://api.example/orders', { headers: { authorization: `Bearer ${token}` } });
 * const result = await authenticate(request, { key, issuer: 'https://idp.example', audience: 'api', scopes: ['read'] });
 * if (!result.ok) return new Response(failureBody(result), { status: result.status, headers: result.headers });
 * ```
 */
export function authenticate<T extends object = JwtClaims>(
  request: AuthRequest,
  options: AuthOptions | Authenticator<T>,
): Promise<AuthResult<T>> {
  try {
    return toAuthenticator<T>(options).authenticate(request);
  } catch (e) {
    throw callerError(e);
  }
}

import { isObject, own } from '../encoding/json.js';
import { err } from '../errors.js';
import type { JwtClaims, PortableJwtVerifier, JwtVerifyResult } from '../jwt/types.js';
import { createVerifier } from '../jwt/verify.js';
import { callerError, callerRead, intOption, readOptions, snapshot } from '../options.js';
import { type ChallengeContext, failure, tokenFailure, unauthorized } from './challenge.js';
import { dpopHeader, extract, headerValues, type Sources } from './credentials.js';
import { checkProof, checkReplay, DpopRefusal, type ProofResult } from './dpop.js';
import { compileDpop, type DpopPolicy } from './dpop-policy.js';
import { requestHtu } from './htu.js';
import { grantedScopes, scopesOption } from './scope.js';
import type { AuthFailure, AuthOptions, AuthRequest, AuthResult, Authenticator, RouteAuthOptions } from './types.js';

const HTTP_OPTIONS = ['verifier', 'scopes', 'realm', 'tokenFrom', 'profile', 'maxHeaderLength', 'dpop'];
const RFC9068_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];
/** RFC 9110 quoted-string content without `"` and `\`. */
const REALM = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

interface Compiled {
  readonly scopes: readonly string[];
  readonly verifier: PortableJwtVerifier;
  readonly ctx: ChallengeContext;
  readonly sources: Sources;
  readonly schemes: ReadonlySet<string>;
  readonly maxHeader: number;
  readonly dpop: DpopPolicy | undefined;
}

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
    ctx: {
      realm: realm === undefined ? '' : `realm="${realm}"`,
      bearer: dpop?.required !== true,
      dpopAlgs: dpop?.algsParam,
    },
    sources: compileSources(o.tokenFrom),
    schemes,
    maxHeader: intOption(o.maxHeaderLength, 'maxHeaderLength', 16_384, 256, 1_048_576),
    dpop,
  };
}

const INVALID_REQUEST: Readonly<Record<string, string>> = Object.freeze({
  malformed: 'The Authorization header is malformed',
  duplicate: 'The request presents more than one credential',
  too_long: 'The credentials are too long',
});

function refusal(c: Compiled, r: DpopRefusal): AuthFailure {
  if (r.error === 'unavailable') {
    return failure(c.ctx, 'DPoP', 503, 'temporarily_unavailable', r.description, { cause: r.cause });
  }
  const nonce = r.error === 'use_dpop_nonce' ? c.dpop?.nonce?.current(Date.now() / 1000) : undefined;
  return failure(c.ctx, 'DPoP', 401, r.error, r.description, {
    cause: r.cause,
    ...(nonce === undefined ? {} : { nonce }),
  });
}

async function proofFor(c: Compiled, dpop: DpopPolicy, request: AuthRequest, token: string, now: number) {
  const header = dpopHeader(request.headers, c.maxHeader);
  if (header === 'none') throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is missing');
  if (header === 'malformed') throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is invalid');
  const host = headerValues(request.headers, 'host');
  const htu = requestHtu(String(request.url), dpop.origin, host?.length === 1 ? host[0] : undefined, request.protocol);
  return checkProof(header, dpop, String(request.method), htu, token, now);
}

async function run<T extends object>(
  c: Compiled,
  scopes: readonly string[],
  request: AuthRequest,
): Promise<AuthResult<T>> {
  const found = extract(request, c.sources, c.schemes, c.maxHeader);
  if (found === 'none') return unauthorized(c.ctx);
  if (typeof found === 'string') return failure(c.ctx, 'Bearer', 400, 'invalid_request', INVALID_REQUEST[found]!);
  const scheme = found.scheme === 'dpop' ? 'DPoP' : 'Bearer';
  const token = found.token;
  let proof: ProofResult | undefined;
  const now = Date.now() / 1000;
  if (scheme === 'DPoP') {
    try {
      proof = await proofFor(c, c.dpop!, request, token, now);
    } catch (e) {
      if (e instanceof DpopRefusal) return refusal(c, e);
      throw e;
    }
  }
  let v: JwtVerifyResult;
  try {
    v = await c.verifier.verify(token);
  } catch (e) {
    return tokenFailure(c.ctx, scheme, e);
  }
  const claims = v.payload;
  const cnf = own(claims, 'cnf');
  const jkt = isObject(cnf) ? own(cnf, 'jkt') : undefined;
  if (proof === undefined) {
    // RFC 9449 section 7.2: a DPoP-bound token is never accepted as a bearer token; nor is a token bound to
    // anything else (`cnf` with `x5t#S256`, RFC 8705; `jwk`, RFC 7800): a binding this server cannot check.
    if (cnf !== undefined) return failure(c.ctx, 'Bearer', 401, 'invalid_token', 'The access token is invalid');
  } else {
    if (typeof jkt !== 'string' || jkt !== proof.jkt) {
      return failure(c.ctx, 'DPoP', 401, 'invalid_token', 'Invalid DPoP key binding');
    }
    try {
      await checkReplay(c.dpop!, proof, now);
    } catch (e) {
      if (e instanceof DpopRefusal) return refusal(c, e);
      throw e;
    }
  }
  if (scopes.length > 0) {
    const granted = grantedScopes(claims);
    if (granted === undefined) return failure(c.ctx, scheme, 401, 'invalid_token', 'The access token is invalid');
    if (!scopes.every((s) => granted.has(s))) {
      return failure(c.ctx, scheme, 403, 'insufficient_scope', 'The access token lacks the required scope', {
        scope: scopes.join(' '),
      });
    }
  }
  let headers: Readonly<Record<string, string>> = NO_HEADERS;
  const nonces = c.dpop?.nonce;
  if (proof !== undefined && nonces !== undefined) {
    const current = nonces.current(now);
    if (proof.nonce !== current) headers = { 'dpop-nonce': current };
  }
  return {
    ok: true,
    claims: claims as T & JwtClaims,
    token,
    scheme,
    protectedHeader: v.protectedHeader,
    ...(proof === undefined ? {} : { jkt: proof.jkt }),
    headers,
  };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A copy of a caller's array (read once), or the value itself when it is not an array. */
function callerCopy(v: unknown): unknown {
  return callerRead(() => (Array.isArray(v) ? [...(v as unknown[])] : v), 'scopes');
}

/**
 * The request read once into a plain object: `method`, `url` (strings), `headers` (an object or a `Headers`),
 * `protocol`. Throws `ERR_INVALID_OPTION` for anything else; header values are checked where they are read.
 */
function readRequest(request: unknown): AuthRequest {
  if (!isObject(request)) throw badRequest();
  // Named members, read once each (a Fetch Request has them as prototype getters, not own properties).
  const { method, url, headers, protocol } = callerRead(
    () => ({ method: request.method, url: request.url, headers: request.headers, protocol: request.protocol }),
    'request',
  );
  if (typeof url !== 'string' || !isObject(headers) || (method !== undefined && typeof method !== 'string')) {
    throw badRequest();
  }
  if (protocol !== undefined && typeof protocol !== 'string') throw badRequest();
  return { method: method ?? '', url, headers, ...(protocol === undefined ? {} : { protocol }) } as AuthRequest;
}

const badRequest = () => err('ERR_INVALID_OPTION', 'authenticate() needs a request with method, url and headers');

/** The authenticators this module made (called directly; any other is wrapped). */
const ours = new WeakSet<object>();

function authenticator<T extends object>(c: Compiled, scopes: readonly string[]): Authenticator<T> {
  const a: Authenticator<T> = Object.freeze({
    realm: c.ctx.realm === '' ? undefined : c.ctx.realm.slice(7, -1),
    async authenticate(request: AuthRequest): Promise<AuthResult<T>> {
      const req = readRequest(request);
      try {
        return await run<T>(c, scopes, req);
      } catch (e) {
        return tokenFailure(c.ctx, 'Bearer', e);
      }
    },
    withScopes(more: readonly string[]): Authenticator<T> {
      try {
        return authenticator<T>(c, Object.freeze([...new Set([...scopes, ...scopesOption(callerCopy(more))])]));
      } catch (e) {
        throw callerError(e);
      }
    },
  });
  ours.add(a);
  return a;
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

import { isObject, own } from '../encoding/json.js';
import { err } from '../errors.js';
import type { JwtClaims, JwtVerifyResult, PortableJwtVerifier } from '../jwt/types.js';
import { type ChallengeContext, failure, tokenFailure, unauthorized } from './challenge.js';
import { dpopHeader, extract, headerValues, type Sources } from './credentials.js';
import { checkProof, checkReplay, DpopRefusal, type ProofResult } from './dpop.js';
import type { DpopPolicy } from './dpop-policy.js';
import { requestHtu } from './htu.js';
import { grantedScopes } from './scope.js';
import type { AuthFailure, AuthHeaders, AuthResult } from './types.js';

// One request through a compiled policy (authenticate.ts compiles it): credential extraction, the DPoP proof, the
// verifier, the key binding, the scopes, and the answer. Everything per request is here, and nothing here reads an
// option: what can be built once (challenge strings, the scope parameter) was built at compile time.

/** Authentication options compiled once (authenticate.ts). @internal */
export interface Compiled {
  readonly scopes: readonly string[];
  readonly verifier: PortableJwtVerifier;
  readonly ctx: ChallengeContext;
  readonly sources: Sources;
  readonly schemes: ReadonlySet<string>;
  readonly maxHeader: number;
  readonly dpop: DpopPolicy | undefined;
}

/** What one authenticator checks: its compiled policy, the required scopes and their `scope` parameter. @internal */
export interface Route {
  readonly c: Compiled;
  readonly scopes: readonly string[];
  readonly scopeParam: string;
}

/** A bad request (members of the wrong types): `ERR_INVALID_OPTION`. @internal */
export const badRequest = () =>
  err('ERR_INVALID_OPTION', 'authenticate() needs a request with method, url and headers');

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

async function proofFor(c: Compiled, dpop: DpopPolicy, r: Members, token: string, now: number) {
  const header = dpopHeader(r.headers, c.maxHeader);
  if (header === 'none') throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is missing');
  if (header === 'malformed') throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is invalid');
  const host = headerValues(r.headers, 'host');
  const htu = requestHtu(r.url, dpop.origin, host?.length === 1 ? host[0] : undefined, r.protocol);
  return checkProof(header, dpop, r.method, htu, token, now);
}

/** A request's members, read once and checked. */
interface Members {
  readonly method: string;
  readonly url: string;
  readonly headers: AuthHeaders;
  readonly protocol: string | undefined;
}

/**
 * One request, its members already read (each once). The Bearer path awaits only the verifier and allocates nothing
 * on success but the result; DPoP has its own path. A bad request (wrong member types) rejects with
 * `ERR_INVALID_OPTION`; anything unexpected afterwards fails closed (503). @internal
 */
export async function run<T extends object>(
  route: Route,
  method: unknown,
  url: unknown,
  headers: unknown,
  protocol: unknown,
): Promise<AuthResult<T>> {
  if (typeof url !== 'string' || !isObject(headers) || (method !== undefined && typeof method !== 'string')) {
    throw badRequest();
  }
  if (protocol !== undefined && typeof protocol !== 'string') throw badRequest();
  const c = route.c;
  try {
    const found = extract(headers as AuthHeaders, url, c.sources, c.schemes, c.maxHeader);
    if (found === 'none') return unauthorized(c.ctx);
    if (typeof found === 'string') return failure(c.ctx, 'Bearer', 400, 'invalid_request', INVALID_REQUEST[found]!);
    const token = found.token;
    if (found.scheme === 'dpop') {
      const m: Members = { method: method ?? '', url, headers: headers as AuthHeaders, protocol };
      return await runDpop<T>(route, m, token);
    }
    let v: JwtVerifyResult;
    try {
      v = await c.verifier.verify(token);
    } catch (e) {
      return tokenFailure(c.ctx, 'Bearer', e);
    }
    const claims = v.payload;
    // RFC 9449 section 7.2: a DPoP-bound token is never accepted as a bearer token; nor is a token bound to
    // anything else (`cnf` with `x5t#S256`, RFC 8705; `jwk`, RFC 7800): a binding this server cannot check.
    if (own(claims, 'cnf') !== undefined) {
      return failure(c.ctx, 'Bearer', 401, 'invalid_token', 'The access token is invalid');
    }
    const refused = scopeFailure(route, 'Bearer', claims);
    if (refused !== undefined) return refused;
    return {
      ok: true,
      claims: claims as T & JwtClaims,
      token,
      scheme: 'Bearer',
      protectedHeader: v.protectedHeader,
      headers: NO_HEADERS,
    };
  } catch (e) {
    return tokenFailure(c.ctx, 'Bearer', e);
  }
}

/** The answer when the token lacks a required scope (or its scope claim is unusable), else undefined. */
function scopeFailure(route: Route, scheme: 'Bearer' | 'DPoP', claims: JwtClaims): AuthFailure | undefined {
  const scopes = route.scopes;
  if (scopes.length === 0) return undefined;
  const granted = grantedScopes(claims);
  const c = route.c;
  if (granted === undefined) return failure(c.ctx, scheme, 401, 'invalid_token', 'The access token is invalid');
  for (const s of scopes) {
    if (!granted.has(s)) {
      return failure(c.ctx, scheme, 403, 'insufficient_scope', 'The access token lacks the required scope', {
        scope: route.scopeParam,
      });
    }
  }
  return undefined;
}

/** The DPoP path (RFC 9449): the proof, then the token, its key binding, the proof's replay, the scopes. */
async function runDpop<T extends object>(route: Route, r: Members, token: string): Promise<AuthResult<T>> {
  const c = route.c;
  const dpop = c.dpop!;
  const now = Date.now() / 1000;
  let proof: ProofResult;
  try {
    proof = await proofFor(c, dpop, r, token, now);
  } catch (e) {
    if (e instanceof DpopRefusal) return refusal(c, e);
    throw e;
  }
  let v: JwtVerifyResult;
  try {
    v = await c.verifier.verify(token);
  } catch (e) {
    return tokenFailure(c.ctx, 'DPoP', e);
  }
  const claims = v.payload;
  const cnf = own(claims, 'cnf');
  const jkt = isObject(cnf) ? own(cnf, 'jkt') : undefined;
  if (typeof jkt !== 'string' || jkt !== proof.jkt) {
    return failure(c.ctx, 'DPoP', 401, 'invalid_token', 'Invalid DPoP key binding');
  }
  try {
    await checkReplay(dpop, proof, now);
  } catch (e) {
    if (e instanceof DpopRefusal) return refusal(c, e);
    throw e;
  }
  const refused = scopeFailure(route, 'DPoP', claims);
  if (refused !== undefined) return refused;
  let headers: Readonly<Record<string, string>> = NO_HEADERS;
  const nonces = dpop.nonce;
  if (nonces !== undefined) {
    const current = nonces.current(now);
    if (proof.nonce !== current) headers = { 'dpop-nonce': current };
  }
  return {
    ok: true,
    claims: claims as T & JwtClaims,
    token,
    scheme: 'DPoP',
    protectedHeader: v.protectedHeader,
    jkt: proof.jkt,
    headers,
  };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

import type { Buffer } from 'node:buffer';
import type { JwsAlgorithm } from '../alg/jws.js';
import { backend } from '../crypto/backend.js';
import { b64uDecodeSegment, plainB64uText } from '../encoding/base64url.js';
import { DEFAULT_JSON_LIMITS, own, parseJsonObject } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { type ClaimReason, err, JotError } from '../errors.js';
import { checkCrit, type JoseHeader, parseProtectedHeader } from '../jws/header.js';
import {
  checkVerifyKey,
  compileJwsPolicy,
  type JwsPolicy,
  type KeyResolver,
  secretOrKey,
  selectAlgorithm,
  signatureShapeOk,
} from '../jws/policy.js';
import type { Key } from '../key/key.js';
import { claimError } from './claim-error.js';
import { CLAIM_OPTIONS, type ClaimPolicy, compileClaimPolicy, normalizeMediaType, typReason } from './claims.js';
import type { JwtClaims, RevocationChecker } from './types.js';

/** Names of `VerifyJwtOptions`. @internal */
export const VERIFY_OPTIONS = ['algorithms', 'crit', 'maxTokenLength', 'revocation', 'strict', ...CLAIM_OPTIONS];

/** What a header segment tells, checked once (and cached by precompiled verifiers). @internal */
export interface HeaderInfo {
  readonly header: Readonly<JoseHeader>;
  readonly alg: JwsAlgorithm;
  /** Why the `typ` check fails (reported only after the signature verified), or undefined. */
  readonly typ: ClaimReason | undefined;
}

/** Verify options compiled once. @internal */
export interface VerifyPolicy {
  readonly jws: JwsPolicy;
  readonly claims: ClaimPolicy;
  readonly keyOrResolver: Key | KeyResolver;
  readonly revocation: RevocationChecker | undefined;
  /** Parsed header segments (precompiled verifiers only); bounded. */
  readonly headers: Map<string, HeaderInfo> | undefined;
  /** The last header segment seen by a precompiled verifier: matched in place, without slicing the token. */
  last: { readonly segment: string; readonly info: HeaderInfo } | undefined;
  /** A fixed key, already checked for each algorithm it served. */
  readonly keyFor: Map<JwsAlgorithm, Key>;
}

const HEADER_CACHE_MAX = 32;

/** Compile `VerifyJwtOptions` (already read as own properties). Throws `ERR_INVALID_OPTION`. @internal */
export function compileVerifyPolicy(
  o: Record<string, unknown>,
  keyOrResolver: unknown,
  cacheHeaders: boolean,
): VerifyPolicy {
  const jwsOptions = Object.create(null) as Record<string, unknown>;
  jwsOptions.algorithms = o.algorithms;
  jwsOptions.crit = o.crit;
  jwsOptions.maxTokenLength = o.maxTokenLength;
  if (typeof keyOrResolver !== 'function' && (typeof keyOrResolver !== 'object' || keyOrResolver === null)) {
    throw err('ERR_KEY_INVALID', 'expected a Key or a key resolver function');
  }
  keyOrResolver = secretOrKey(keyOrResolver, o.algorithms);
  const jws = compileJwsPolicy(jwsOptions, keyOrResolver);
  if (jws.b64Allowed) throw err('ERR_INVALID_OPTION', 'JWTs never use unencoded payloads: crit may not list b64');
  const fixed = typeof keyOrResolver === 'function' ? undefined : (keyOrResolver as Key);
  if (fixed?.alg !== undefined && jws.algorithms !== undefined && !jws.algorithms.has(fixed.alg)) {
    throw err('ERR_INVALID_OPTION', "the key's algorithm is not among algorithms");
  }
  let claims = compileClaimPolicy(o);
  if (o.strict !== undefined && typeof o.strict !== 'boolean')
    throw err('ERR_INVALID_OPTION', 'strict must be a boolean');
  if (o.strict === true) {
    if (jws.algorithms === undefined && fixed === undefined) {
      throw err('ERR_INVALID_OPTION', 'strict: state algorithms (or pass a key bound to one algorithm)');
    }
    if (claims.issuers === undefined) throw err('ERR_INVALID_OPTION', 'strict: state the accepted issuer');
    if (claims.audiences === undefined) throw err('ERR_INVALID_OPTION', 'strict: state the accepted audience');
    if (!claims.required.includes('exp')) claims = { ...claims, required: Object.freeze([...claims.required, 'exp']) };
  }
  const revocation = o.revocation;
  if (
    revocation !== undefined &&
    (typeof revocation !== 'object' ||
      revocation === null ||
      typeof (revocation as RevocationChecker).isRevoked !== 'function')
  ) {
    throw err('ERR_INVALID_OPTION', 'revocation must have an isRevoked(claims) method');
  }
  const policy: VerifyPolicy = {
    jws,
    claims,
    keyOrResolver: keyOrResolver as Key | KeyResolver,
    revocation: revocation as RevocationChecker | undefined,
    headers: cacheHeaders ? new Map() : undefined,
    last: undefined,
    keyFor: new Map(),
  };
  return policy;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** Header checks in order: parse, `b64`, `crit`, algorithm policy (`enc`, `none`, allow-list), `cty`. @internal */
export function headerInfo(segment: string, policy: VerifyPolicy): HeaderInfo {
  const cache = policy.headers;
  const hit = cache?.get(segment);
  if (hit !== undefined) {
    policy.last = { segment, info: hit };
    return hit;
  }
  const header = parseProtectedHeader(segment);
  const b64 = own(header, 'b64');
  if (b64 !== undefined && b64 !== true) throw err('ERR_JWT_INVALID', 'a JWT never has an unencoded payload (b64)');
  checkCrit(header, policy.jws.understood, false);
  const alg = selectAlgorithm(header, policy.jws);
  const cty = own(header, 'cty');
  if (cty !== undefined) {
    if (typeof cty !== 'string') throw err('ERR_JWT_INVALID', '"cty" must be a string');
    if (normalizeMediaType(cty) === 'jwt') {
      throw err(
        'ERR_JWT_INVALID',
        'nested JWT (cty: JWT): verify each layer explicitly (decryptAndVerifyJwt, or verifyCompact then verifyJwt)',
      );
    }
  }
  const info: HeaderInfo = { header: deepFreeze(header), alg, typ: typReason(header, policy.claims.typs) };
  if (cache !== undefined) {
    if (cache.size >= HEADER_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(segment, info);
    policy.last = { segment, info };
  }
  return info;
}

/** A compact token split and checked up to key selection. @internal */
export interface SplitToken {
  readonly info: HeaderInfo;
  readonly payload: Buffer;
  readonly signature: Buffer;
  readonly signingInput: string;
}

/**
 * Structure first: a string, within the length cap, exactly three segments (five-segment JWEs and JSON forms are
 * refused), strict base64url everywhere, header checks. The payload segment is decoded once. @internal
 */
export function splitToken(token: unknown, policy: VerifyPolicy): SplitToken {
  if (typeof token !== 'string') throw err('ERR_JWT_INVALID', 'a JWT must be a string');
  if (token.length > policy.jws.maxTokenLength) throw err('ERR_LIMIT_EXCEEDED', 'the token is too long');
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (b < 0 || token.indexOf('.', b + 1) !== -1) {
    throw err('ERR_JWS_INVALID', 'a JWT is a compact JWS with exactly three segments');
  }
  const last = policy.last;
  const info =
    last !== undefined && last.segment.length === a && token.startsWith(last.segment)
      ? last.info
      : headerInfo(token.slice(0, a), policy);
  // The header passed (or was cached); the rest is checked for what the decoder would misread once, not per segment.
  if (!plainB64uText(token)) throw err('ERR_JWS_INVALID', 'the payload or signature is not canonical base64url');
  const payload = b64uDecodeSegment(token.slice(a + 1, b), 'ERR_JWS_INVALID', 'payload');
  const signature = b64uDecodeSegment(token.slice(b + 1), 'ERR_JWS_INVALID', 'signature');
  return { info, payload, signature, signingInput: token.slice(0, b) };
}

/** The fixed key, checked once per algorithm. @internal */
export function fixedKey(policy: VerifyPolicy, alg: JwsAlgorithm): Key {
  let key = policy.keyFor.get(alg);
  if (key === undefined) {
    key = checkVerifyKey(policy.keyOrResolver, alg, policy.jws);
    policy.keyFor.set(alg, key);
  }
  return key;
}

/** A resolver's failure becomes a JotError (its own, or `ERR_JWKS_NO_MATCHING_KEY` with the cause). @internal */
export function resolverError(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_JWKS_NO_MATCHING_KEY', 'the key resolver failed', e);
}

const badSignature = () => err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');

/** Sync verification of a split token's signature with `key`. @internal */
export function verifySignatureSync(t: SplitToken, key: Key): void {
  if (!signatureShapeOk(t.info.alg, key, t.signature)) throw badSignature();
  if (!backend().verifySync(t.info.alg, key, t.signingInput, t.signature)) throw badSignature();
}

const verdict = (ok: boolean): void => {
  if (!ok) throw badSignature();
};

/** Async verification of a split token's signature with `key`: the backend's promise, and one step after it. @internal */
export function verifySignature(t: SplitToken, key: Key): Promise<void> {
  if (!signatureShapeOk(t.info.alg, key, t.signature)) return Promise.reject(badSignature());
  return backend().verify(t.info.alg, key, t.signingInput, t.signature).then(verdict);
}

/** The verified payload bytes as text: fatal UTF-8, decoded once. @internal */
export function claimsText(t: SplitToken): string {
  return utf8Decode(t.payload, 'ERR_JWT_INVALID', 'claims');
}

/**
 * The claims object from verified text: strict JSON (duplicate names refused), an object. Then the header's `typ`
 * result. Claims are only ever parsed after the signature verified. `utf8`: the text's bytes, checked instead of
 * the text (faster). @internal
 */
export function parseClaims(text: string, info: HeaderInfo, utf8?: Uint8Array): JwtClaims {
  const payload = parseJsonObject(text, 'ERR_JWT_INVALID', 'claims', DEFAULT_JSON_LIMITS, utf8) as JwtClaims;
  if (info.typ !== undefined) throw claimError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ', info.typ, payload);
  return payload;
}

function revocationResult(revoked: unknown): void {
  if (revoked === false) return;
  if (revoked === true) throw err('ERR_JWT_REVOKED', 'the token has been revoked');
  throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the revocation check did not answer true or false');
}

function revocationError(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the revocation check failed', e);
}

/** Revocation, after every other check; fails closed. The header lets a list refuse a revoked `kid`. @internal */
export async function checkRevocation(policy: VerifyPolicy, payload: JwtClaims, header: JoseHeader): Promise<void> {
  const r = policy.revocation;
  if (r === undefined) return;
  let revoked: unknown;
  try {
    revoked = await r.isRevoked(payload, header);
  } catch (e) {
    throw revocationError(e);
  }
  revocationResult(revoked);
}

/** Synchronous revocation; `ERR_JOSE_NOT_SUPPORTED` when the checker has no synchronous form. @internal */
export function checkRevocationSync(policy: VerifyPolicy, payload: JwtClaims, header: JoseHeader): void {
  const r = policy.revocation;
  if (r === undefined) return;
  if (typeof r.isRevokedSync !== 'function' || r.sync === false) {
    throw err('ERR_JOSE_NOT_SUPPORTED', 'this revocation list has no synchronous check: use verify()');
  }
  let revoked: unknown;
  try {
    revoked = r.isRevokedSync(payload, header);
  } catch (e) {
    throw revocationError(e);
  }
  revocationResult(revoked);
}

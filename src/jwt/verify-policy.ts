import type { JwsAlgorithm } from '../alg/jws.js';
import { err, type ClaimReason } from '../errors.js';
import { checkCrit, type JoseHeader, parseProtectedHeader } from '../jws/header.js';
import {
  checkVerifyKey,
  compileJwsPolicy,
  type JwsPolicy,
  type KeyResolver,
  secretOrKey,
  selectAlgorithm,
} from '../jws/policy.js';
import type { HeaderReader } from '../jws/reader.js';
import type { Key } from '../key/key.js';
import { CLAIM_OPTIONS, type ClaimPolicy, compileClaimPolicy } from './claims.js';
import { refuseNestedJwt, refuseUnencodedPayload, typReason } from './header.js';
import type { RevocationChecker } from './types.js';

// What verifyJwt and createVerifier accept, compiled once: the options, the header rules of a signed JWT, and the
// fixed key checked once per algorithm. The pipeline that applies it is verify.ts.

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
  /** Reads and checks a header segment for the compact reader; a precompiled verifier's remembers a few. */
  readonly headerOf: HeaderReader<HeaderInfo>;
  /** A fixed key, already checked for each algorithm it served. */
  readonly keyFor: Map<JwsAlgorithm, Key>;
}

const HEADER_CACHE_MAX = 32;

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** Header checks in order: parse, `b64`, `crit`, algorithm policy (`enc`, `none`, allow-list), `cty`; then `typ`. */
function headerInfo(segment: string, jws: JwsPolicy, claims: ClaimPolicy): HeaderInfo {
  const header = parseProtectedHeader(segment);
  refuseUnencodedPayload(header);
  checkCrit(header, jws.understood, false);
  const alg = selectAlgorithm(header, jws);
  refuseNestedJwt(header);
  return { header: deepFreeze(header), alg, typ: typReason(header, claims.typs) };
}

/**
 * The header reader of a policy. A precompiled verifier keeps the last few checked header segments (tokens from one
 * issuer share a header): the last one is matched in place, without slicing the token; the others by segment.
 */
function headerReader(jws: JwsPolicy, claims: ClaimPolicy, cache: boolean): HeaderReader<HeaderInfo> {
  if (!cache) return (token, end) => headerInfo(token.slice(0, end), jws, claims);
  const seen = new Map<string, HeaderInfo>();
  let lastSegment = '';
  let lastInfo: HeaderInfo | undefined;
  return (token, end) => {
    if (lastInfo !== undefined && lastSegment.length === end && token.startsWith(lastSegment)) return lastInfo;
    const segment = token.slice(0, end);
    let info = seen.get(segment);
    if (info === undefined) {
      info = headerInfo(segment, jws, claims);
      if (seen.size >= HEADER_CACHE_MAX) seen.delete(seen.keys().next().value as string);
      seen.set(segment, info);
    }
    lastSegment = segment;
    lastInfo = info;
    return info;
  };
}

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
  if (o.strict !== undefined && typeof o.strict !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'strict must be a boolean');
  }
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
  return {
    jws,
    claims,
    keyOrResolver: keyOrResolver as Key | KeyResolver,
    revocation: revocation as RevocationChecker | undefined,
    headerOf: headerReader(jws, claims, cacheHeaders),
    keyFor: new Map(),
  };
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

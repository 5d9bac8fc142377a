import { latin1Bytes, utf8Length } from '#crypto/bytes';
import { syncDigest } from '#crypto/sync-digest';
import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err, isJotError, type JotError } from '../errors.js';
import { verifyCompact } from '../jws/compact.js';
import { parseProtectedHeader } from '../jws/header.js';
import { normalizeMediaType } from '../jwt/header.js';
import { jwkThumbprint } from '../key/export.js';
import { importKeySync } from '../key/import.js';
import type { JWK } from '../key/jwk.js';
import type { DpopPolicy } from './dpop-policy.js';
import { normalizeHtu } from './htu.js';

/** Why a proof was refused; `unavailable` is a replay store failure (503). @internal */
export class DpopRefusal {
  constructor(
    readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'unavailable',
    readonly description: string,
    readonly cause?: JotError,
  ) {}
}

/** The public members of each key type, in RFC 7638 (lexicographic) order. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, readonly string[]>, {
    RSA: ['e', 'kty', 'n'],
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    AKP: ['alg', 'kty', 'pub'],
  }),
);
/** Members that only a private (or secret) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

const invalid = (description = 'The DPoP proof is invalid', cause?: JotError) =>
  new DpopRefusal('invalid_dpop_proof', description, cause);

/**
 * `ath`: base64url SHA-256 of the access token's ASCII bytes (RFC 9449 section 4.2). Throws `ERR_INVALID_OPTION`
 * unless `token` is a string.
 *
 * @example
 * ```ts
 * import { accessTokenHash } from 'jotjs/http';
 * const ath = accessTokenHash(token); // what a DPoP proof for this token carries in its ath claim
 * ```
 */
export function accessTokenHash(token: string): string {
  if (typeof token !== 'string') throw err('ERR_INVALID_OPTION', 'the access token must be a string');
  // The ASCII bytes of a token (RFC 9449 section 4.2); any other string is hashed by its latin1 bytes, one byte per
  // character as a node:http header value arrives, so a string and the bytes it was read from hash alike.
  return syncDigest.sha256B64u(utf8Length(token) === token.length ? token : latin1Bytes(token));
}

/** The header's `jwk` reduced to its public members; refused when it has private ones (E08) or is not asymmetric. */
function publicJwk(header: Record<string, unknown>): JWK {
  const jwk = own(header, 'jwk');
  if (!isObject(jwk)) throw invalid();
  const kty = own(jwk, 'kty');
  const members = typeof kty === 'string' ? PUBLIC_MEMBERS[kty] : undefined;
  if (members === undefined) throw invalid();
  if (PRIVATE_MEMBERS.some((m) => own(jwk, m) !== undefined)) throw invalid();
  const pub: Record<string, unknown> = {};
  for (const m of members) {
    const v = own(jwk, m);
    if (typeof v !== 'string') throw invalid();
    pub[m] = v;
  }
  return pub as unknown as JWK;
}

/** What a valid proof tells. @internal */
export interface ProofResult {
  /** RFC 7638 thumbprint of the proof key. */
  jkt: string;
  /** The replay-store id of this proof and how long it must be kept. */
  replayId: string;
  keepUntil: number;
  /** The nonce the proof carried, if any. */
  nonce: string | undefined;
}

/**
 * RFC 9449 section 4.3 checks 2 to 12 (check 1, one `DPoP` header, is the caller's): structure, `typ`, asymmetric
 * allowed `alg`, the public `jwk` (used for this proof only, never trusted for anything else), signature, `jti`,
 * `htm`, `htu`, `iat` window, `ath`, then `nonce`. Throws a {@link DpopRefusal}. @internal
 */
export async function checkProof(
  proof: string,
  policy: DpopPolicy,
  method: string,
  htu: string | undefined,
  token: string | undefined,
  now: number,
): Promise<ProofResult> {
  if (proof.length > MAX_PROOF_LENGTH) throw invalid();
  let claims: Record<string, unknown>;
  let jkt: string;
  try {
    const header = parseProtectedHeader(proof.slice(0, proof.indexOf('.')));
    const typ = own(header, 'typ');
    if (typeof typ !== 'string' || normalizeMediaType(typ) !== 'dpop+jwt') throw invalid();
    const alg = own(header, 'alg');
    if (typeof alg !== 'string' || !policy.algorithms.has(alg)) throw invalid();
    const entry = findJwsAlgorithm(alg);
    if (entry === undefined || entry.family === 'hmac') throw invalid();
    const jwk = publicJwk(header);
    const key = importKeySync(jwk, { alg });
    const { payload } = await verifyCompact(proof, key, { algorithms: [alg], maxTokenLength: MAX_PROOF_LENGTH });
    claims = parseJsonObject(utf8Decode(payload, 'ERR_JWT_INVALID', 'claims'), 'ERR_JWT_INVALID', 'claims');
    jkt = await jwkThumbprint(jwk);
  } catch (e) {
    if (e instanceof DpopRefusal) throw e;
    throw invalid('The DPoP proof is invalid', isJotError(e) ? e : undefined);
  }
  const jti = own(claims, 'jti');
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw invalid();
  const htm = own(claims, 'htm');
  const claimedHtu = own(claims, 'htu');
  // Section 4.2: htu is sent "without query and fragment parts"; the request's own query is ignored (check 9).
  if (
    htm !== method ||
    typeof claimedHtu !== 'string' ||
    /[?#]/.test(claimedHtu) ||
    htu === undefined ||
    normalizeHtu(claimedHtu) !== htu
  ) {
    throw invalid('The DPoP proof does not match the request method or URI');
  }
  const iat = own(claims, 'iat');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid();
  if (iat > now + policy.tolerance || iat < now - policy.maxAge - policy.tolerance) {
    throw invalid('The DPoP proof is too old or too far in the future');
  }
  // Without an access token (a token endpoint, RFC 9449 section 5), the proof must carry no `ath`.
  const ath = own(claims, 'ath');
  // The token came through the credential parser (a b64token: ASCII), so its string is its bytes.
  if (token === undefined ? ath !== undefined : ath !== syncDigest.sha256B64u(token)) {
    throw invalid('The DPoP proof does not match the access token');
  }
  const nonce = own(claims, 'nonce');
  if (policy.nonce !== undefined && !policy.nonce.accepts(nonce, now)) {
    throw new DpopRefusal('use_dpop_nonce', 'Resource server requires nonce in DPoP proof');
  }
  const replayId = syncDigest.sha256B64u(`dpop ${jkt} ${jti}`);
  return {
    jkt,
    replayId,
    keepUntil: iat + policy.maxAge + policy.tolerance,
    nonce: typeof nonce === 'string' ? nonce : undefined,
  };
}

/** Refuses a proof seen before, through the shared replay store (E07). @internal */
export async function checkReplay(policy: DpopPolicy, r: ProofResult, now: number): Promise<void> {
  let fresh: boolean;
  try {
    fresh = await policy.replay.insertIfAbsent(r.replayId, r.keepUntil, now);
  } catch (e) {
    throw new DpopRefusal('unavailable', 'Authentication is temporarily unavailable', isJotError(e) ? e : undefined);
  }
  if (fresh !== true) throw invalid('The DPoP proof has been used before');
}

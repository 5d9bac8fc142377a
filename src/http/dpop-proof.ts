import { digest } from '#crypto/digest';
import { findJwsAlgorithm } from '../alg/jws.js';
import { b64uEncode } from '../encoding/base64url.js';
import { err } from '../errors.js';
import { signCompact } from '../jws/compact.js';
import { exportJwk, jwkThumbprint } from '../key/export.js';
import { isKey, type Key } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { accessTokenHash } from './dpop.js';

/** Options of {@link createDpopProof}. */
export interface DpopProofOptions {
  /** The client's private key (asymmetric), bound to its algorithm or used with `alg`. */
  key: Key;
  /** The algorithm, when the key is not bound to one. */
  alg?: string;
  /** The request method (`GET`). */
  method: string;
  /** The request URL; query and fragment are left out of `htu`. */
  url: string | URL;
  /** The access token the proof goes with: sets `ath`. */
  accessToken?: string;
  /** The last `DPoP-Nonce` the server sent. */
  nonce?: string;
  /** Issue time (default now): a `Date` or Unix seconds. */
  iat?: Date | number;
  /** Proof id (default 128 random bits, base64url). */
  jti?: string;
}

const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  AKP: ['alg', 'kty', 'pub'],
});

async function publicJwkOf(key: Key): Promise<Record<string, unknown>> {
  const full = (await exportJwk(key)) as unknown as Record<string, unknown>;
  const members = PUBLIC_MEMBERS[key.kty];
  if (members === undefined) throw err('ERR_KEY_INVALID', 'a DPoP key is asymmetric');
  const pub: Record<string, unknown> = {};
  for (const m of members) pub[m] = full[m];
  return pub;
}

/**
 * Create a DPoP proof JWT (RFC 9449 section 4.2) for one request: header `typ: dpop+jwt`, `alg`, and the public
 * `jwk` of `key`; claims `jti`, `htm`, `htu` (without query and fragment), `iat`, and `ath` / `nonce` when given.
 * Throws `ERR_INVALID_OPTION` for unusable options and `ERR_KEY_INVALID` for a key that cannot sign proofs.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from 'jotjs';
 * import { createDpopProof } from 'jotjs/http';
 * const { privateKey } = await generateKeyPair('ES256');
 * const accessToken = token;
 * const proof = await createDpopProof({ key: privateKey, method: 'GET', url: 'https://api.example/orders', accessToken });
 * await fetch('https://api.example/orders', { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
 * ```
 */
export async function createDpopProof(options: DpopProofOptions): Promise<string> {
  try {
    return await proof(readOptions(options, PROOF_OPTIONS, 'DPoP proof'));
  } catch (e) {
    throw callerError(e);
  }
}

const PROOF_OPTIONS: ReadonlySet<string> = new Set([
  'key',
  'alg',
  'method',
  'url',
  'accessToken',
  'nonce',
  'iat',
  'jti',
]);
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

async function proof(options: Record<string, unknown>): Promise<string> {
  const { key, method, nonce, accessToken, jti, iat } = options;
  if (!isKey(key) || !key.isPrivate || key.kty === 'oct') {
    throw err('ERR_KEY_INVALID', 'a DPoP proof is signed with an asymmetric private key');
  }
  const alg = options.alg ?? key.alg;
  const entry = typeof alg === 'string' ? findJwsAlgorithm(alg) : undefined;
  if (entry === undefined || entry.family === 'hmac') {
    throw err('ERR_INVALID_OPTION', 'state the asymmetric algorithm (alg) or bind the key to one');
  }
  if (typeof method !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) {
    throw err('ERR_INVALID_OPTION', 'method must be an HTTP method');
  }
  const url = options.url;
  if (typeof url !== 'string' && !(url instanceof URL)) throw err('ERR_INVALID_OPTION', 'url must be an absolute URL');
  let u: URL;
  try {
    u = new URL(typeof url === 'string' ? url : url.href);
  } catch (e) {
    throw err('ERR_INVALID_OPTION', 'url must be an absolute URL', e);
  }
  if (jti !== undefined && (typeof jti !== 'string' || jti === '' || jti.length > 256)) {
    throw err('ERR_INVALID_OPTION', 'jti must be a string of 1 to 256 characters');
  }
  let issuedAt: number;
  if (iat === undefined) issuedAt = Math.floor(Date.now() / 1000);
  else if (iat instanceof Date && Number.isFinite(iat.getTime())) issuedAt = Math.floor(iat.getTime() / 1000);
  else if (typeof iat === 'number' && Number.isSafeInteger(iat) && iat >= 0) issuedAt = iat;
  else throw err('ERR_INVALID_OPTION', 'iat must be a valid Date or Unix seconds');
  if (accessToken !== undefined && (typeof accessToken !== 'string' || !TOKEN68.test(accessToken))) {
    throw err('ERR_INVALID_OPTION', 'accessToken must be a token68 string');
  }
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce === '' || nonce.length > 1024)) {
    throw err('ERR_INVALID_OPTION', 'nonce must be a non-empty string');
  }
  const claims: Record<string, unknown> = {
    jti: jti ?? b64uEncode(digest.randomBytes(16)),
    htm: method,
    htu: `${u.protocol}//${u.host}${u.pathname}`,
    iat: issuedAt,
  };
  if (accessToken !== undefined) claims.ath = accessTokenHash(accessToken);
  if (nonce !== undefined) claims.nonce = nonce;
  const header = { typ: 'dpop+jwt', alg: entry.name, jwk: await publicJwkOf(key) };
  return signCompact(JSON.stringify(claims), header, key);
}

/**
 * The RFC 7638 thumbprint of a DPoP key, as an authorization server puts it in `cnf.jkt`. Throws
 * `ERR_KEY_INVALID` for a symmetric key or a value that is not a key.
 *
 * @example
 * ```ts
 * import { signJwt } from 'jotjs';
 * import { dpopThumbprint } from 'jotjs/http';
 * const accessToken = await signJwt({ sub: 'user-1', cnf: { jkt: await dpopThumbprint(publicKey) } }, signingKey);
 * ```
 */
export async function dpopThumbprint(key: Key): Promise<string> {
  if (!isKey(key) || key.kty === 'oct') throw err('ERR_KEY_INVALID', 'a DPoP key is asymmetric');
  try {
    return await jwkThumbprint((await publicJwkOf(key)) as never);
  } catch (e) {
    throw callerError(e);
  }
}

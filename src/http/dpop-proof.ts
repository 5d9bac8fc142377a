import { randomBytes } from 'node:crypto';
import { findJwsAlgorithm } from '../alg/jws.js';
import { err } from '../errors.js';
import { signCompact } from '../jws/compact.js';
import { exportJwk, jwkThumbprint } from '../key/export.js';
import { isKey, type Key } from '../key/key.js';
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
 *
 * @example
 * const proof = await createDpopProof({ key: privateKey, method: 'GET', url: 'https://api.example/orders', accessToken });
 * await fetch('https://api.example/orders', { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
 */
export async function createDpopProof(options: DpopProofOptions): Promise<string> {
  if (typeof options !== 'object' || options === null) throw err('ERR_INVALID_OPTION', 'options must be an object');
  const { key, method, nonce, accessToken } = options;
  if (!isKey(key) || !key.isPrivate || key.kty === 'oct') {
    throw err('ERR_KEY_INVALID', 'a DPoP proof is signed with an asymmetric private key');
  }
  const alg = options.alg ?? key.alg;
  const entry = findJwsAlgorithm(alg);
  if (entry === undefined || entry.family === 'hmac') {
    throw err('ERR_INVALID_OPTION', 'state the asymmetric algorithm (alg) or bind the key to one');
  }
  if (typeof method !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) {
    throw err('ERR_INVALID_OPTION', 'method must be an HTTP method');
  }
  let u: URL;
  try {
    u = new URL(String(options.url));
  } catch (e) {
    throw err('ERR_INVALID_OPTION', 'url must be an absolute URL', e);
  }
  const claims: Record<string, unknown> = {
    jti: options.jti ?? randomBytes(16).toString('base64url'),
    htm: method,
    htu: `${u.protocol}//${u.host}${u.pathname}`,
    iat:
      options.iat === undefined
        ? Math.floor(Date.now() / 1000)
        : options.iat instanceof Date
          ? Math.floor(options.iat.getTime() / 1000)
          : options.iat,
  };
  if (accessToken !== undefined) claims.ath = accessTokenHash(String(accessToken));
  if (nonce !== undefined) claims.nonce = String(nonce);
  const header = { typ: 'dpop+jwt', alg: entry.name, jwk: await publicJwkOf(key) };
  return signCompact(JSON.stringify(claims), header, key);
}

/** The RFC 7638 thumbprint of a DPoP key, as an authorization server puts it in `cnf.jkt`. */
export async function dpopThumbprint(key: Key): Promise<string> {
  if (!isKey(key) || key.kty === 'oct') throw err('ERR_KEY_INVALID', 'a DPoP key is asymmetric');
  return jwkThumbprint((await publicJwkOf(key)) as never);
}

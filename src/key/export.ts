import { digest as hashing } from '#crypto/digest';
import { keys } from '#crypto/keys';
import { b64uEncode } from '../encoding/base64url.js';
import { isObject, own } from '../encoding/json.js';
import { err } from '../errors.js';
import { callerError } from '../options.js';
import { exportAkpJwk, exportAkpPem } from './akp.js';
import { importKey } from './import.js';
import { isKey, type Key, keyHandle } from './key.js';
import type { JWK } from './jwk.js';

/** The implementation of `exportJwk` (src/key/api.ts), loaded on its first call. @internal */
export async function exportJwk(key: Key, options: { includePrivate?: boolean } = {}): Promise<JWK> {
  try {
    const h = keyHandle(key);
    const includePrivate = own(options, 'includePrivate') === true;
    let jwk: JWK;
    if (key.kty === 'oct') {
      if (!includePrivate) throw err('ERR_INVALID_OPTION', 'a secret key exports only with includePrivate: true');
      jwk = { kty: 'oct', k: b64uEncode(h.secret!) };
    } else if (key.kty === 'AKP') {
      jwk = exportAkpJwk(key, includePrivate);
    } else {
      jwk = (await keys.exportJwk(h, includePrivate && key.isPrivate)) as JWK;
    }
    if (key.alg !== undefined) jwk.alg = key.alg;
    if (key.kid !== undefined) jwk.kid = key.kid;
    if (key.use !== undefined) jwk.use = key.use;
    if (key.keyOps !== undefined) jwk.key_ops = [...key.keyOps];
    return jwk;
  } catch (e) {
    throw callerError(e);
  }
}

/** The implementation of `exportPem` (src/key/api.ts), loaded on its first call. @internal */
export async function exportPem(key: Key): Promise<string> {
  try {
    const h = keyHandle(key);
    if (key.kty === 'oct') throw err('ERR_KEY_INVALID', 'secret keys have no PEM form');
    if (key.kty === 'AKP') return exportAkpPem(key);
    return await keys.exportPem(h, key.isPrivate);
  } catch (e) {
    throw callerError(e);
  }
}

const REQUIRED: Readonly<Record<string, readonly string[]>> = Object.freeze({
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  AKP: ['alg', 'kty', 'pub'], // RFC 9964: the parameter set is part of the key's identity
  oct: ['k', 'kty'],
});

const DIGESTS: Readonly<Record<string, string>> = Object.freeze({
  sha256: 'sha-256',
  sha384: 'sha-384',
  sha512: 'sha-512',
});

/** The implementation of `jwkThumbprint` (src/key/api.ts), loaded on its first call. @internal */
export async function jwkThumbprint(
  keyOrJwk: Key | JWK,
  digest: 'sha256' | 'sha384' | 'sha512' = 'sha256',
): Promise<string> {
  try {
    if (typeof digest !== 'string' || !Object.hasOwn(DIGESTS, digest))
      throw err('ERR_INVALID_OPTION', 'unsupported digest');
    let jwk: JWK;
    if (isKey(keyOrJwk)) {
      jwk = await exportJwk(keyOrJwk, { includePrivate: keyOrJwk.kty === 'oct' });
    } else if (isObject(keyOrJwk)) {
      await importKey(keyOrJwk as JWK); // validates every member (and loads the ML-DSA provider for an AKP key)
      jwk = keyOrJwk as JWK;
    } else {
      throw err('ERR_KEY_INVALID', 'expected a Key or a JWK');
    }
    const members = REQUIRED[jwk.kty];
    if (members === undefined) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported key type');
    const canonical: Record<string, unknown> = {};
    for (const m of members) canonical[m] = own(jwk, m);
    return b64uEncode(await hashing.digest(digest, JSON.stringify(canonical)));
  } catch (e) {
    throw callerError(e);
  }
}

/** The implementation of `jwkThumbprintUri` (src/key/api.ts), loaded on its first call. @internal */
export async function jwkThumbprintUri(
  keyOrJwk: Key | JWK,
  digest: 'sha256' | 'sha384' | 'sha512' = 'sha256',
): Promise<string> {
  try {
    const tp = await jwkThumbprint(keyOrJwk, digest);
    return `urn:ietf:params:oauth:jwk-thumbprint:${DIGESTS[digest]}:${tp}`;
  } catch (e) {
    throw callerError(e);
  }
}

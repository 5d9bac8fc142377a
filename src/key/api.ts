import type { GenerateKeyPairOptions } from './generate.js';
import type { JWK } from './jwk.js';
import type { Key } from './key.js';

// The public key generation and export functions. Each loads its machinery (./generate.js, ./export.js and what they
// import: the generator, digests, the ML-DSA export) on its first call, so that importing jot to verify does not
// (issue 19: cold start); the work and every check are those of the loaded modules.

type GenerateModule = typeof import('./generate.js');
type ExportModule = typeof import('./export.js');

let generate: Promise<GenerateModule> | undefined;
let exporting: Promise<ExportModule> | undefined;

const loadGenerate = (): Promise<GenerateModule> => (generate ??= import('./generate.js'));
const loadExport = (): Promise<ExportModule> => (exporting ??= import('./export.js'));

/**
 * Generate a key pair for `alg` (a JWS algorithm, or an RSA-OAEP or ECDH-ES key management algorithm); both keys
 * are bound to `alg`.
 *
 * @example
 * ```ts
 * import { exportJwk, generateKeyPair, signJwt } from 'jotjs';
 * const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', kid: 'k1' });
 * const token = await signJwt({ sub: 'user-1' }, privateKey, { expiresIn: '15m' });
 * const jwk = await exportJwk(publicKey); // publish it in a JWKS for verifiers
 * ```
 */
export async function generateKeyPair(
  alg: string,
  options?: GenerateKeyPairOptions,
): Promise<{ privateKey: Key; publicKey: Key }> {
  return (await loadGenerate()).generateKeyPair(alg, options);
}

/**
 * Generate a random secret of the size `alg` needs: HS256/384/512 (32/48/64 bytes), A*KW and A*GCMKW,
 * or a content encryption algorithm (`A256GCM`, `A128CBC-HS256`, ...) for `dir` (the key is bound to `dir`).
 *
 * @example
 * ```ts
 * import { generateSecret, signJwt, verifyJwt } from 'jotjs';
 * const secret = await generateSecret('HS256'); // 32 random bytes, bound to HS256
 * const token = await signJwt({ sub: 'user-1' }, secret, { expiresIn: '15m' });
 * const { payload } = await verifyJwt(token, secret); // the bound key names the algorithm
 * ```
 */
export async function generateSecret(alg: string): Promise<Key> {
  return (await loadGenerate()).generateSecret(alg);
}

/**
 * Export a key as a JWK. Private members (and an `oct` key's `k`) only with `includePrivate: true`.
 *
 * @example
 * ```ts
 * import { exportJwk, generateKeyPair } from 'jotjs';
 * const { privateKey } = await generateKeyPair('ES256', { kid: 'k1' });
 * const publicJwk = await exportJwk(privateKey); // { kty: 'EC', crv: 'P-256', x, y, alg: 'ES256', kid: 'k1' }
 * const backup = await exportJwk(privateKey, { includePrivate: true }); // with d
 * ```
 */
export async function exportJwk(key: Key, options?: { includePrivate?: boolean }): Promise<JWK> {
  return (await loadExport()).exportJwk(key, options);
}

/**
 * Export an asymmetric key as PEM: SPKI for public keys, PKCS#8 for private keys.
 *
 * @example
 * ```ts
 * import { exportPem, generateKeyPair } from 'jotjs';
 * const { publicKey } = await generateKeyPair('RS256');
 * const pem = await exportPem(publicKey); // '-----BEGIN PUBLIC KEY-----\n...'
 * ```
 */
export async function exportPem(key: Key): Promise<string> {
  return (await loadExport()).exportPem(key);
}

/**
 * RFC 7638 thumbprint (base64url) of a Key or a JWK. `digest` is `sha256` (default), `sha384` or `sha512`.
 *
 * @example
 * ```ts
 * import { generateKeyPair, jwkThumbprint } from 'jotjs';
 * const { publicKey } = await generateKeyPair('ES256');
 * const kid = await jwkThumbprint(publicKey); // 43 base64url characters, the same for the private key
 * ```
 */
export async function jwkThumbprint(keyOrJwk: Key | JWK, digest?: 'sha256' | 'sha384' | 'sha512'): Promise<string> {
  return (await loadExport()).jwkThumbprint(keyOrJwk, digest);
}

/**
 * RFC 9278 thumbprint URI: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:` followed by the thumbprint.
 *
 * @example
 * ```ts
 * import { jwkThumbprintUri } from 'jotjs';
 * const uri = await jwkThumbprintUri(publicJwk); // 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:...'
 * ```
 */
export async function jwkThumbprintUri(keyOrJwk: Key | JWK, digest?: 'sha256' | 'sha384' | 'sha512'): Promise<string> {
  return (await loadExport()).jwkThumbprintUri(keyOrJwk, digest);
}

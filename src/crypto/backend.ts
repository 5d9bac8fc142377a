import type { JwsAlgorithm } from '../alg/jws.js';
import type { Key } from '../key/key.js';

/**
 * Every cryptographic operation jot performs goes through this interface. JWS, JWE and JWT code
 * never import `node:crypto` directly, so a WebCrypto backend can be added without touching them.
 * Keys reaching a backend have already passed the algorithm and key policy checks.
 */
export interface CryptoBackend {
  readonly name: 'node' | 'web';
  /** True when the `*Sync` operations exist (node:crypto). */
  readonly sync: boolean;

  randomBytes(length: number): Uint8Array;
  /** Constant-time equality of two byte strings (false for different lengths). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;

  /** JWS signature over `data` (bytes, or an ASCII string such as the compact signing input). */
  sign(alg: JwsAlgorithm, key: Key, data: Uint8Array | string): Promise<Uint8Array>;
  signSync(alg: JwsAlgorithm, key: Key, data: Uint8Array | string): Uint8Array;
  /** JWS verification; the signature already has the exact length and form the algorithm requires. */
  verify(alg: JwsAlgorithm, key: Key, data: Uint8Array | string, signature: Uint8Array): Promise<boolean>;
  verifySync(alg: JwsAlgorithm, key: Key, data: Uint8Array | string, signature: Uint8Array): boolean;
}

/**
 * An optional capability beyond {@link CryptoBackend}: a synchronous signature returned as base64url text. node
 * encodes it natively (`digest('base64url')`, `toString`), sparing a compact signer the bytes-then-text round trip
 * that costs as much as an HMAC. Callers feature-test it. @internal
 */
export interface SignsToText {
  signSyncB64u(alg: JwsAlgorithm, key: Key, data: Uint8Array | string): string;
}

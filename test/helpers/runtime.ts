// What the crypto implementation under test can do (test/helpers/backend.ts is for vi.mock factories, which must not
// import '#crypto/sig' themselves).
import { sig as sigImpl } from '#crypto/sig';
import { expect } from 'vitest';

/**
 * Does the implementation under test have the synchronous API (node:crypto)? On WebCrypto every `*Sync` call throws
 * ERR_JOSE_NOT_SUPPORTED; suites that run a sync mode assert that, then take the async path for the rest.
 */
export const SYNC_CRYPTO: boolean = sigImpl.sync;

/**
 * The sync form where the implementation has one; else assert that it refuses with ERR_JOSE_NOT_SUPPORTED (whatever
 * the token) and return the async form's outcome.
 */
export function syncOrRefused<R>(sync: () => R, async: () => Promise<R>): Promise<R> {
  if (SYNC_CRYPTO) return Promise.resolve().then(sync);
  let code: unknown;
  try {
    sync();
  } catch (e) {
    code = (e as { code?: unknown }).code;
  }
  expect(code, 'a *Sync call on WebCrypto').toBe('ERR_JOSE_NOT_SUPPORTED');
  return async();
}

/** The implementation under test is WebCrypto. */
export const WEB_CRYPTO: boolean = sigImpl.name === 'web';

/**
 * Does the WebCrypto under test lack secp256k1 (ES256K)? A feature test (a key generation), as the implementation
 * does it: on node:crypto, false.
 */
export const LACKS_SECP256K1: boolean =
  WEB_CRYPTO &&
  (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'secp256k1' }, false, ['sign']).then(
    () => false,
    () => true,
  ));

/** `code` where the implementation has the curve, else ERR_JOSE_NOT_SUPPORTED (asserted, never skipped). */
export const unlessLacking = <C extends string>(lacks: boolean, code: C): C | 'ERR_JOSE_NOT_SUPPORTED' =>
  lacks ? 'ERR_JOSE_NOT_SUPPORTED' : code;

/**
 * `verifier[method](token)` where `verifySync` goes through {@link syncOrRefused}: on WebCrypto the sync call is
 * asserted to refuse with ERR_JOSE_NOT_SUPPORTED, then the async form answers.
 */
export function callVerifier<R>(
  verifier: { verify(token: string): Promise<R>; verifySync(token: string): R },
  method: 'verify' | 'verifySync',
  token: string,
): Promise<R> {
  if (method === 'verify') return verifier.verify(token);
  return syncOrRefused(
    () => verifier.verifySync(token),
    () => verifier.verify(token),
  );
}

// Counting crypto implementations: how many times a test reached a primitive (a cache hit checks no signature; a
// structural check refuses before any cryptography). A test file replaces the implementation module with vi.mock:
//
//   const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
//   vi.mock('#crypto/sig', async (original) => (await import('../helpers/backend.js')).countingSig(await original(), counts));
//
// The alias '#crypto/sig' names the implementation of the project under test (node or web), so the count works on both.
import { sig as sigImpl } from '#crypto/sig';
import { expect } from 'vitest';
import type { SigBackend } from '../../src/crypto/backend.js';
import type { JweCryptoBackend } from '../../src/crypto/jwe-backend.js';

/** What the counting implementations count. */
export interface Counts {
  verify: number;
  aesCbcDecrypt: number;
}

/** `#crypto/sig` with every signature verification (async or sync) counted in `counts.verify`. */
export function countingSig(original: unknown, counts: Counts): { sig: SigBackend } {
  const mod = original as { sig: SigBackend };
  const real = mod.sig;
  const sig: SigBackend = Object.freeze({
    ...real,
    verify: (...a: Parameters<SigBackend['verify']>) => {
      counts.verify++;
      return real.verify(...a);
    },
    verifySync: (...a: Parameters<SigBackend['verifySync']>) => {
      counts.verify++;
      return real.verifySync(...a);
    },
  });
  return { ...mod, sig };
}

/** `#crypto/jwe` with every AES-CBC decryption counted in `counts.aesCbcDecrypt`. */
export function countingJwe(original: unknown, counts: Counts): { jwe: JweCryptoBackend } {
  const mod = original as { jwe: JweCryptoBackend };
  const real = mod.jwe;
  const jwe: JweCryptoBackend = Object.freeze({
    ...real,
    aesCbcDecrypt: (...a: Parameters<JweCryptoBackend['aesCbcDecrypt']>) => {
      counts.aesCbcDecrypt++;
      return real.aesCbcDecrypt(...a);
    },
  });
  return { ...mod, jwe };
}

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

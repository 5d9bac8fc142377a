// Counting crypto implementations: how many times a test reached a primitive (a cache hit checks no signature; a
// structural check refuses before any cryptography). A test file replaces the implementation module with vi.mock:
//
//   const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
//   vi.mock('#crypto/sig', async (original) => (await import('../helpers/backend.js')).countingSig(await original(), counts));
//
// The alias '#crypto/sig' names the implementation of the project under test (node or web), so the count works on both.
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

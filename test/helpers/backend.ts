// A counting crypto backend: how many signatures a verifier really checked (a cache hit checks none).
import { afterAll } from 'vitest';
import { backend, setBackend } from '../../src/crypto/active.js';

/**
 * Wrap the active backend so that every signature verification (async or sync) is counted, for the rest of the test
 * file; the real backend comes back after it. Returns the running count.
 */
export function countSignatureChecks(): () => number {
  const real = backend();
  let checks = 0;
  setBackend({
    ...real,
    verify: (...a) => {
      checks++;
      return real.verify(...a);
    },
    verifySync: (...a) => {
      checks++;
      return real.verifySync(...a);
    },
  });
  afterAll(() => setBackend(real));
  return () => checks;
}

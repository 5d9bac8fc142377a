// A private AKP key imported synchronously before the ML-DSA provider is loaded (as a key ring reads its store)
// is accepted on its `pub`, and checked against its seed before its first signature: a mismatched pair never signs.
// Runs in its own file so that no earlier test has loaded the provider.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasNativeMlDsa, mlDsaReady } from '../../src/crypto/ml-dsa.js';
import { importKeySync } from '../../src/key/import.js';
import { signCompact, verifyCompact } from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';

const rfc = JSON.parse(readFileSync(new URL('../vectors/mldsa/rfc9964-ml-dsa-44.json', import.meta.url), 'utf8')) as {
  jwk: { kty: string; alg: string; pub: string; priv: string };
};

describe('sync import of a private AKP key before the provider is loaded', () => {
  it('defers the pub/seed check to the first signature, which refuses a mismatched pair', async () => {
    // Native node:crypto is ready at once; the deferred path exists only for the lazily loaded package.
    expect(mlDsaReady()).toBe(hasNativeMlDsa());
    const other = Buffer.alloc(32, 9).toString('base64url');
    const mismatched = importKeySync({ ...rfc.jwk, priv: other });
    const good = importKeySync(rfc.jwk);
    if (!hasNativeMlDsa()) {
      expect(mismatched.isPrivate).toBe(true); // accepted on trust for now
    }
    await expectJotError(() => signCompact('x', { alg: 'ML-DSA-44' }, mismatched), ['ERR_KEY_INVALID']);
    const token = await signCompact('x', { alg: 'ML-DSA-44' }, good);
    await expect(verifyCompact(token, good)).resolves.toBeDefined();
    expect(mlDsaReady()).toBe(true);
  });
});

// Without the optional peer @noble/post-quantum (and without ML-DSA in node:crypto, as on Node 20), every ML-DSA
// operation fails with ERR_JOSE_NOT_SUPPORTED naming the package; nothing else is affected. The package is made
// unloadable for this file only.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { hasNativeMlDsa } from '../../src/crypto/ml-dsa.js';
import { createLocalJwkSet, generateKeyPair, importKey, signJwt, verifyCompact, verifyJwt } from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';

vi.mock('@noble/post-quantum/ml-dsa.js', () => {
  throw new Error("Cannot find package '@noble/post-quantum'");
});

const rfc = JSON.parse(readFileSync(new URL('../vectors/mldsa/rfc9964-ml-dsa-44.json', import.meta.url), 'utf8')) as {
  jwk: { kty: string; alg: string; pub: string; priv: string };
  jws: string;
};

async function notSupported(f: () => Promise<unknown>): Promise<void> {
  const e = await expectJotError(f, ['ERR_JOSE_NOT_SUPPORTED']);
  expect(String((e as Error).message)).toContain('@noble/post-quantum');
}

describe('ML-DSA without the package', () => {
  it(`${hasNativeMlDsa() ? 'works on node:crypto alone' : 'import, generation and verification name the package to install'}`, async () => {
    const { priv: _, ...pub } = rfc.jwk;
    if (hasNativeMlDsa()) {
      const key = await importKey(pub);
      await expect(verifyCompact(rfc.jws, key)).resolves.toBeDefined();
      return;
    }
    await notSupported(() => importKey(rfc.jwk));
    await notSupported(() => importKey(pub));
    await notSupported(() => generateKeyPair('ML-DSA-65'));
    // A key set imports public keys synchronously; verification then needs the provider and says so.
    const set = createLocalJwkSet({ keys: [pub] });
    await expectJotError(() => verifyCompact(rfc.jws, set), ['ERR_JOSE_NOT_SUPPORTED']);
  });

  it('other algorithms are unaffected', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const token = await signJwt({ sub: 'a' }, privateKey);
    await expect(verifyJwt(token, publicKey, { allowAnyAudience: true })).resolves.toBeDefined();
  });
});

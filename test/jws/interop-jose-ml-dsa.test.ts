/**
 * ML-DSA interop with `jose` (panva/jose v6). jose offers ML-DSA only where the runtime's WebCrypto has it, which
 * Node 20 does not. This test keeps that statement true: on a runtime where jose refuses, it asserts the refusal;
 * where jose accepts, it runs the interop both ways instead. Either way the test runs (no skip).
 */
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { exportJwk, generateKeyPair, importKey, signCompact, verifyCompact } from '../../src/index.js';

const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;

async function joseSupports(alg: string, jwk: jose.JWK): Promise<boolean> {
  try {
    await jose.importJWK(jwk, alg);
    return true;
  } catch (e) {
    // jose hands the JWK to WebCrypto, whose importKey throws a NotSupportedError DOMException for an unknown algorithm
    expect((e as Error).name).toBe('NotSupportedError');
    return false;
  }
}

describe('jose interop for ML-DSA', () => {
  for (const alg of ALGS) {
    it(`${alg}: jose refuses on this runtime (no ML-DSA in WebCrypto), or both directions interoperate`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      const privateJwk = (await exportJwk(privateKey, { includePrivate: true })) as jose.JWK;
      const publicJwk = (await exportJwk(publicKey)) as jose.JWK;
      const supported = await joseSupports(alg, publicJwk);
      const webCryptoHasIt = await crypto.subtle.generateKey({ name: alg } as never, false, ['sign', 'verify']).then(
        () => true,
        () => false,
      );
      // jose's support follows WebCrypto's: the claim in README and this file holds.
      expect(supported).toBe(webCryptoHasIt);
      if (!supported) {
        await expect(jose.importJWK(privateJwk, alg)).rejects.toMatchObject({ name: 'NotSupportedError' });
        return;
      }
      const fromJot = await signCompact('jot to jose', { alg }, privateKey);
      const joseKey = await jose.importJWK(publicJwk, alg);
      expect(new TextDecoder().decode((await jose.compactVerify(fromJot, joseKey)).payload)).toBe('jot to jose');
      const fromJose = await new jose.CompactSign(new TextEncoder().encode('jose to jot'))
        .setProtectedHeader({ alg })
        .sign(await jose.importJWK(privateJwk, alg));
      const verified = await verifyCompact(fromJose, await importKey(publicJwk as never));
      expect(new TextDecoder().decode(verified.payload)).toBe('jose to jot');
    });
  }
});

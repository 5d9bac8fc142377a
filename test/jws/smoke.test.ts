import { describe, expect, it } from 'vitest';
import { generateKeyPair, generateSecret, signCompact, verifyCompact } from '../../src/index.js';

const ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'Ed25519',
  'Ed448',
];

describe('every JWS algorithm signs and verifies', () => {
  for (const alg of ALGS) {
    it(alg, async () => {
      const { privateKey, publicKey } = alg.startsWith('HS')
        ? await generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
        : await generateKeyPair(alg);
      const jws = await signCompact('hello', { alg }, privateKey);
      const { payload } = await verifyCompact(jws, publicKey);
      expect(new TextDecoder().decode(payload)).toBe('hello');
      const [h, p, s] = jws.split('.') as [string, string, string];
      const flip = (seg: string) => {
        const c = seg[2] === 'A' ? 'B' : 'A';
        return seg.slice(0, 2) + c + seg.slice(3);
      };
      for (const bad of [`${flip(h)}.${p}.${s}`, `${h}.${flip(p)}.${s}`, `${h}.${p}.${flip(s)}`]) {
        await expect(verifyCompact(bad, publicKey)).rejects.toMatchObject({ name: expect.stringMatching(/JotError/) });
      }
    });
  }
});

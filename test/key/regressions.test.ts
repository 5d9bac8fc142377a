/**
 * Key regressions, one per bug found while writing the issue 2 suites, each named after the bug.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportJwk, importKey, type JWK } from '../../src/index.js';
import { LACKS_SECP256K1, unlessLacking } from '../helpers/runtime.js';
import { describeVectors, expectCode, loadVector } from '../helpers/index.js';

describe('key regressions', () => {
  it("an EC JWK with another key's d imported: node keeps the given x and y, so they were never checked", async () => {
    for (const curve of ['prime256v1', 'secp384r1', 'secp521r1', 'secp256k1']) {
      const a = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' }) as JWK;
      const b = generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'jwk' }) as JWK;
      // Before the fix this imported, advertised a's public key and signed with b's scalar.
      const lacks = curve === 'secp256k1' && LACKS_SECP256K1;
      await expectCode(importKey({ ...a, d: b.d } as JWK), unlessLacking(lacks, 'ERR_KEY_INVALID'));
      if (lacks) await expectCode(importKey(b), 'ERR_JOSE_NOT_SUPPORTED');
      else expect(await exportJwk(await importKey(b), { includePrivate: true })).toEqual(b);
    }
  });

  it('PEM file bytes (readFileSync) imported as an HMAC secret, so HS256 over the public key verified', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' });
    const bytes = new TextEncoder().encode(pem as string);
    // Before the fix this was an oct key, and a token MACed with the public PEM text verified under HS256.
    await expectCode(importKey(bytes), 'ERR_KEY_INVALID');
    await expectCode(importKey({ kty: 'oct', k: Buffer.from(bytes).toString('base64url') }), 'ERR_KEY_INVALID');
  });
});

describeVectors('key regressions (vectors)', () => {
  it('RSA keys with the ROCA fingerprint were accepted (Wycheproof json_web_key 7, json_web_crypto 46)', async () => {
    const data = loadVector<any>('wycheproof/json_web_crypto_test.json');
    const group = data.testGroups.find((g: any) => g.comment === 'jws_rsa_roca_key');
    await expectCode(importKey(group.public), 'ERR_KEY_INVALID');
  });
});

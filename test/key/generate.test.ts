// generateKeyPair and generateSecret: bound keys, full-length secrets, refused options.
import { describe, expect, it } from 'vitest';
import { exportJwk, generateKeyPair, generateSecret } from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { expectCode, fromB64u, keysFor } from '../helpers/index.js';

describe('generation', () => {
  it('generateKeyPair binds both halves; generateSecret makes full-length secrets', async () => {
    for (const [alg, crv] of [
      ['RS256', undefined],
      ['ES384', undefined],
      ['ES256K', undefined],
      ['EdDSA', 'Ed448'],
      ['Ed25519', undefined],
    ] as const) {
      if (alg === 'ES256K' && LACKS_SECP256K1) {
        await expectCode(generateKeyPair(alg), 'ERR_JOSE_NOT_SUPPORTED');
        continue;
      }
      const { privateKey, publicKey } = await keysFor(alg, crv);
      expect([privateKey.alg, publicKey.alg, privateKey.isPrivate, publicKey.isPrivate]).toEqual([
        alg,
        alg,
        true,
        false,
      ]);
      if (crv !== undefined) expect(publicKey.crv).toBe(crv);
    }
    for (const [alg, bytes] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      const secret = await generateSecret(alg);
      const { k } = await exportJwk(secret, { includePrivate: true });
      expect(fromB64u(k!).length).toBe(bytes);
      expect(k).not.toBe((await exportJwk(await generateSecret(alg), { includePrivate: true })).k);
    }
    await expectCode(generateKeyPair('RS256', { modulusLength: 1024 }), 'ERR_INVALID_OPTION');
    await expectCode(generateKeyPair('ES256', { crv: 'P-384' }), 'ERR_INVALID_OPTION');
    await expectCode(generateKeyPair('HS256'), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(generateKeyPair('none'), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(generateSecret('RS256'), 'ERR_JOSE_NOT_SUPPORTED');
  });
});

// signSync/verifySync agree with the async forms on every JWS algorithm.
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, signJwt, verifyJwt } from '../../src/jwt/index.js';
import { at, expectCode, JWS_ALGS, keysFor, NOW } from '../helpers/index.js';
import { LACKS_SECP256K1, syncOrRefused } from '../helpers/runtime.js';

/** Algorithms whose signatures are deterministic (same input, same token). */
const DETERMINISTIC = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519', 'Ed448']);

describe.each(JWS_ALGS)('%s', (alg) => {
  it('sign, signSync, signJwt, verify, verifySync and verifyJwt agree (on WebCrypto: the sync forms refuse)', async () => {
    if (alg === 'ES256K' && LACKS_SECP256K1) {
      await expectCode(keysFor(alg), 'ERR_JOSE_NOT_SUPPORTED');
      return;
    }
    const { privateKey, publicKey } = await keysFor(alg);
    const options = { issuer: 'i', audience: 'a', subject: 's', expiresIn: '1h', currentDate: at(NOW) } as const;
    const signer = createSigner({ key: privateKey, ...options });
    const verifier = createVerifier({ key: publicKey, issuer: 'i', audience: 'a', currentDate: at(NOW) });
    const tokens = [
      await syncOrRefused(
        () => signer.signSync({ n: 1 }),
        () => signer.sign({ n: 1 }),
      ),
      await signer.sign({ n: 1 }),
      await signJwt({ n: 1 }, privateKey, options),
    ];
    if (DETERMINISTIC.has(alg)) expect(new Set(tokens).size).toBe(1);
    for (const t of tokens) {
      const a = await syncOrRefused(
        () => verifier.verifySync(t),
        () => verifier.verify(t),
      );
      const b = await verifier.verify(t);
      const c = await verifyJwt(t, publicKey, { issuer: 'i', audience: 'a', currentDate: at(NOW) });
      for (const r of [b, c]) {
        expect(r.payload).toEqual(a.payload);
        expect(r.protectedHeader).toEqual(a.protectedHeader);
        expect(r.key).toBe(publicKey);
      }
      expect(a.payload).toEqual({ n: 1, iss: 'i', aud: 'a', sub: 's', iat: NOW, exp: NOW + 3600 });
      expect(a.protectedHeader).toEqual({ alg, typ: 'JWT' });
      const [h, p] = t.split('.');
      const forged = `${h}.${p}.${t.split('.')[2]!.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`;
      await expectCode(
        syncOrRefused(
          () => verifier.verifySync(forged),
          () => verifier.verify(forged),
        ),
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      );
      await expectCode(verifier.verify(forged), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
  });
});

describe('verifySync limits', () => {
  it('a resolver returning a Promise is ERR_JOSE_NOT_SUPPORTED (and its rejection is handled)', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const t = await signJwt({}, privateKey);
    const ok = createVerifier({ key: async () => publicKey, algorithms: ['ES256'] });
    expect((await ok.verify(t)).key).toBe(publicKey);
    await expectCode(() => ok.verifySync(t), 'ERR_JOSE_NOT_SUPPORTED');
    const rejecting = createVerifier({ key: () => Promise.reject(new Error('x')), algorithms: ['ES256'] } as never);
    await expectCode(() => (rejecting as { verifySync(t: string): unknown }).verifySync(t), 'ERR_JOSE_NOT_SUPPORTED');
    await new Promise((r) => setTimeout(r, 10)); // an unhandled rejection would fail the run
  });
  it('a revocation checker without a synchronous form is ERR_JOSE_NOT_SUPPORTED', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const t = await signJwt({}, privateKey);
    const asyncOnly = createVerifier({ key: publicKey, revocation: { isRevoked: async () => false } });
    expect((await asyncOnly.verify(t)).key).toBe(publicKey);
    await expectCode(() => asyncOnly.verifySync(t), 'ERR_JOSE_NOT_SUPPORTED');
    const list = { isRevoked: async () => false, isRevokedSync: () => false, sync: false };
    await expectCode(
      () => createVerifier({ key: publicKey, revocation: list }).verifySync(t),
      'ERR_JOSE_NOT_SUPPORTED',
    );
  });
});

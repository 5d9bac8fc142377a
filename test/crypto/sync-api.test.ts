// The synchronous API exists only where it can be honest (issue 17): node:crypto signs and verifies at once; on
// WebCrypto every *Sync method throws ERR_JOSE_NOT_SUPPORTED naming the async form, even for a token the verifier
// has cached, and the async forms give the result. Runs in both vitest projects.
import { describe, expect, it } from 'vitest';
import { createSigner, createVerifier, generateKeyPair, generateSecret } from '../../src/index.js';
import { SYNC_CRYPTO } from '../helpers/runtime.js';

describe('the sync API', () => {
  for (const alg of ['HS256', 'ES256'] as const) {
    it(`${alg}: present on node:crypto, ERR_JOSE_NOT_SUPPORTED on WebCrypto (the async form works on both)`, async () => {
      const pair =
        alg === 'HS256'
          ? await generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
          : await generateKeyPair(alg);
      const signer = createSigner({ key: pair.privateKey });
      const verifier = createVerifier({ key: pair.publicKey, allowAnyAudience: true, cache: { max: 4 } });
      const token = await signer.sign({ sub: 'u' });
      expect((await verifier.verify(token)).payload.sub).toBe('u'); // now cached
      if (SYNC_CRYPTO) {
        expect(verifier.verifySync(token).payload.sub).toBe('u');
        expect((await verifier.verify(signer.signSync({ sub: 's' }))).payload.sub).toBe('s');
        return;
      }
      for (const call of [() => signer.signSync({ sub: 's' }), () => verifier.verifySync(token)]) {
        let e: unknown;
        try {
          call();
        } catch (x) {
          e = x;
        }
        expect((e as { code?: string }).code).toBe('ERR_JOSE_NOT_SUPPORTED');
        expect((e as Error).message).toMatch(/verify\(\)|async sign\(\)/);
      }
    });
  }
});

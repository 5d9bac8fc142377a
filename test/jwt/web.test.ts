// src/jwt/web.ts: the web entry's createSigner and createVerifier are the shared functions themselves, retyped (no
// wrapper, no cost), and the synchronous forms their types leave out still answer a JavaScript caller: they work on
// node:crypto and throw ERR_JOSE_NOT_SUPPORTED on WebCrypto. Run by both projects.
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/key/api.js';
import { createSigner as sharedSigner } from '../../src/jwt/sign.js';
import type { JwtSigner, JwtVerifier } from '../../src/jwt/types.js';
import { createVerifier as sharedVerifier } from '../../src/jwt/verify.js';
import { createSigner, createVerifier } from '../../src/jwt/web.js';
import * as web from '../../src/index.web.js';
import { syncOrRefused } from '../helpers/runtime.js';

describe('the web entry createSigner and createVerifier', () => {
  it('are the shared functions, not wrappers', () => {
    expect(createSigner).toBe(sharedSigner);
    expect(createVerifier).toBe(sharedVerifier);
    expect(web.createSigner).toBe(sharedSigner);
    expect(web.createVerifier).toBe(sharedVerifier);
  });

  it('sign and verify; the sync forms left out of their types still work or refuse as before', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const signer = createSigner({ key: privateKey, issuer: 'https://idp.example' });
    const verifier = createVerifier({ key: publicKey, issuer: 'https://idp.example' });
    const token = await signer.sign({ sub: 'u' });
    expect((await verifier.verify(token)).payload.sub).toBe('u');
    // What a JavaScript caller reaches without the types.
    const anySigner = signer as JwtSigner;
    const anyVerifier = verifier as JwtVerifier;
    const again = await syncOrRefused(
      () => anySigner.signSync({ sub: 'v' }),
      () => signer.sign({ sub: 'v' }),
    );
    const { payload } = await syncOrRefused(
      () => anyVerifier.verifySync(again),
      () => verifier.verify(again),
    );
    expect(payload.sub).toBe('v');
  });
});

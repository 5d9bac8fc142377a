// DPoP proofs (RFC 9449) signed with ML-DSA-44 (RFC 9964): the proof's AKP `jwk` is reduced to alg, kty and pub,
// its thumbprint is the RFC 7638 one over those members, a `priv` in the header is refused (E08), and a proof whose
// jwk names another parameter set than its alg is refused. ML-DSA-65/87 proofs exceed the 8 kB proof cap.
import { describe, expect, it } from 'vitest';
import { checkProof } from '../../src/http/dpop.js';
import { compileDpop } from '../../src/http/dpop-policy.js';
import { createDpopProof, dpopThumbprint } from '../../src/http/index.js';
import { exportJwk, generateKeyPair, jwkThumbprint, signCompact } from '../../src/index.js';

const URL_ = 'https://api.example/resource';
const now = () => Math.floor(Date.now() / 1000);

describe('DPoP with ML-DSA-44', () => {
  it('accepts a proof made by createDpopProof and binds it to the AKP thumbprint', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ML-DSA-44');
    const policy = compileDpop({ algorithms: ['ML-DSA-44', 'ES256'] })!;
    const proof = await createDpopProof({ key: privateKey, method: 'GET', url: URL_ });
    const r = await checkProof(proof, policy, 'GET', URL_, undefined, now());
    expect(r.jkt).toBe(await jwkThumbprint(publicKey));
    expect(r.jkt).toBe(await dpopThumbprint(publicKey));
  });

  it('refuses a header jwk with priv, and a jwk of another parameter set', async () => {
    const { privateKey } = await generateKeyPair('ML-DSA-44');
    const other = await generateKeyPair('ML-DSA-65');
    const policy = compileDpop({ algorithms: ['ML-DSA-44', 'ML-DSA-65'] })!;
    const claims = JSON.stringify({ jti: 'j1', htm: 'GET', htu: URL_, iat: now() });
    const withPriv = await exportJwk(privateKey, { includePrivate: true });
    const p1 = await signCompact(claims, { alg: 'ML-DSA-44', typ: 'dpop+jwt', jwk: withPriv } as never, privateKey);
    await expect(checkProof(p1, policy, 'GET', URL_, undefined, now())).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
    });
    const p2 = await signCompact(
      claims,
      { alg: 'ML-DSA-44', typ: 'dpop+jwt', jwk: await exportJwk(other.publicKey) } as never,
      privateKey,
    );
    await expect(checkProof(p2, policy, 'GET', URL_, undefined, now())).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import {
  createVerifier,
  exportJwk,
  generateKeyPair,
  generateSecret,
  signCompact,
  signJwt,
  verifyCompact,
  verifyJwt,
} from '../../src/index.js';

async function fixture() {
  const rsa = await generateKeyPair('RS256', { kid: 'rsa1' });
  const ec = await generateKeyPair('ES256', { kid: 'ec1' });
  const hmac = await generateSecret('HS256');
  const rsaJwk = await exportJwk(rsa.publicKey);
  const ecJwk = await exportJwk(ec.publicKey);
  const { alg: _drop, ...ecUnbound } = ecJwk;
  const octJwk = { ...(await exportJwk(hmac, { includePrivate: true })), kid: 'hmac1' };
  return { rsa, ec, hmac, rsaJwk, ecJwk, ecUnbound, octJwk };
}

describe('createLocalJwkSet', () => {
  it('selects by kid and verifies', async () => {
    const f = await fixture();
    const set = createLocalJwkSet({ keys: [f.rsaJwk, f.ecJwk, f.octJwk] });
    const jws = await signCompact('x', { alg: 'RS256', kid: 'rsa1' }, f.rsa.privateKey);
    const r = await verifyCompact(jws, set, { algorithms: ['RS256'] });
    expect(r.key.kid).toBe('rsa1');
  });

  it('never lets the header alg pick another key family (A06)', async () => {
    const f = await fixture();
    const set = createLocalJwkSet({ keys: [f.rsaJwk, f.octJwk] });
    expect(() => set({ alg: 'HS256', kid: 'rsa1' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
    expect(() => set({ alg: 'RS256', kid: 'hmac1' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
  });

  it('honours the JWK alg, use and key_ops', async () => {
    const f = await fixture();
    const enc = { ...f.ecUnbound, kid: 'e', use: 'enc' };
    const ops = { ...f.ecUnbound, kid: 'o', key_ops: ['sign'] };
    const set = createLocalJwkSet({ keys: [f.ecJwk, enc, ops] });
    expect(() => set({ alg: 'ES256', kid: 'e' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
    expect(() => set({ alg: 'ES256', kid: 'o' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
    expect(() => set({ alg: 'ES384', kid: 'ec1' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
  });

  it('unknown and prototype kids resolve to nothing (A11, A12)', async () => {
    const f = await fixture();
    const set = createLocalJwkSet({ keys: [f.rsaJwk] });
    for (const kid of ['does-not-exist', '__proto__', 'constructor', 'toString', '../../../dev/null', '']) {
      expect(() => set({ alg: 'RS256', kid })).toThrow(expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }));
    }
    for (const kid of [0, [], {}, null]) {
      expect(() => set({ alg: 'RS256', kid })).toThrow(expect.objectContaining({ code: 'ERR_JWS_INVALID' }));
    }
    expect(() => set({ alg: 'RS256', kid: 'k'.repeat(2000) })).toThrow(
      expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }),
    );
  });

  it('several candidates without a kid, and duplicate kids, are ambiguous (A54)', async () => {
    const f = await fixture();
    const other = await generateKeyPair('RS256');
    const set = createLocalJwkSet({ keys: [f.rsaJwk, { ...(await exportJwk(other.publicKey)), kid: 'rsa1' }] });
    expect(() => set({ alg: 'RS256', kid: 'rsa1' })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' }),
    );
    expect(() => set({ alg: 'RS256' })).toThrow(expect.objectContaining({ code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' }));
  });

  it('without a kid, several matching keys are tried in order and the result names the one that verified', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => generateKeyPair('ES256')));
    const jwks = await Promise.all(keys.map(async (k, i) => ({ ...(await exportJwk(k.publicKey)), kid: `k${i}` })));
    const set = createLocalJwkSet({ keys: jwks.slice(0, 3) });
    const token = await signCompact('x', { alg: 'ES256' }, keys[2]!.privateKey);
    expect((await verifyCompact(token, set, { algorithms: ['ES256'] })).key.kid).toBe('k2');
    const jwt = await signJwt({ sub: 'a' }, keys[1]!.privateKey, { kid: false });
    expect((await verifyJwt(jwt, set, { algorithms: ['ES256'] })).key.kid).toBe('k1');
    expect(createVerifier({ key: set, algorithms: ['ES256'] }).verifySync(jwt).key.kid).toBe('k1');
    const stranger = await signCompact('x', { alg: 'ES256' }, keys[3]!.privateKey);
    await expect(verifyCompact(stranger, set, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    // More candidates than maxCandidates: ambiguous, nothing is tried.
    const four = createLocalJwkSet({ keys: jwks }, { maxCandidates: 3 });
    await expect(verifyCompact(token, four, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
    });
    const wide = createLocalJwkSet({ keys: jwks }, { maxCandidates: 4 });
    expect((await verifyCompact(token, wide, { algorithms: ['ES256'] })).key.kid).toBe('k2');
  });

  it('refuses malformed sets, private keys and oversized sets; skips unknown key types', async () => {
    const f = await fixture();
    const priv = await exportJwk(f.rsa.privateKey, { includePrivate: true });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(code(() => createLocalJwkSet({ keys: {} } as never))).toBe('ERR_JWKS_INVALID');
    expect(code(() => createLocalJwkSet({} as never))).toBe('ERR_JWKS_INVALID');
    expect(code(() => createLocalJwkSet('{"keys":[],"keys":[]}'))).toBe('ERR_JWKS_INVALID');
    expect(code(() => createLocalJwkSet({ keys: [priv] }))).toBe('ERR_JWKS_INVALID');
    expect(code(() => createLocalJwkSet({ keys: [{ ...f.ecJwk, x: `${f.ecJwk.x}A` }] }))).toBe('ERR_JWK_INVALID');
    expect(code(() => createLocalJwkSet({ keys: [{ kty: 'oct', k: '' }] }))).toBe('ERR_KEY_INVALID');
    expect(code(() => createLocalJwkSet({ keys: Array.from({ length: 101 }, () => f.ecJwk) }))).toBe(
      'ERR_LIMIT_EXCEEDED',
    );
    const set = createLocalJwkSet({ keys: [{ kty: 'foo' }, f.ecJwk] as never });
    expect(set({ alg: 'ES256' }).kid).toBe('ec1');
  });
});

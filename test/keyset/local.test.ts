import { describe, expect, it } from 'vitest';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import { exportJwk, generateKeyPair, generateSecret, signCompact, verifyCompact } from '../../src/index.js';

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

// The JWS algorithm table and its resolvers: exact names, null-prototype lookups, frozen entries.
import { describe, expect, it } from 'vitest';
import { EDDSA_SIG_BYTES, findJwsAlgorithm, JWS_ALGORITHMS, jwsAlgorithm } from '../../src/alg/jws.js';
import { expectCode, JWS_ALGS } from '../helpers/index.js';

describe('JWS algorithm table', () => {
  it('holds exactly the algorithms jot signs with, each entry frozen and named by its key', () => {
    // JWS_ALGS is what the shared suites (jose interop among them) run over; ML-DSA has suites of its own, since jose
    // cannot run it on this runtime (test/key/ml-dsa, test/attacks/ml-dsa-confusion, test/jws/interop-jose-ml-dsa).
    const ML_DSA = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];
    expect(Object.keys(JWS_ALGORITHMS).sort()).toEqual([...JWS_ALGS, ...ML_DSA].sort());
    for (const [name, entry] of Object.entries(JWS_ALGORITHMS)) {
      expect(entry.name).toBe(name);
      expect(Object.isFrozen(entry)).toBe(true);
    }
    expect(Object.isFrozen(JWS_ALGORITHMS)).toBe(true);
    expect(EDDSA_SIG_BYTES).toEqual({ Ed25519: 64, Ed448: 114 });
  });

  it('findJwsAlgorithm: exact case, no prototype members, undefined for non-strings', () => {
    expect(findJwsAlgorithm('ES256')?.curves).toEqual(['P-256']);
    expect(findJwsAlgorithm('PS384')?.family).toBe('rsa-pss');
    for (const name of ['es256', 'none', 'None', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(findJwsAlgorithm(name)).toBeUndefined();
    }
    for (const v of [undefined, null, 1, {}, ['HS256'], { toString: () => 'HS256' }]) {
      expect(findJwsAlgorithm(v)).toBeUndefined();
    }
  });

  it('jwsAlgorithm resolves or throws ERR_JOSE_NOT_SUPPORTED', async () => {
    expect(jwsAlgorithm('HS512').sigBytes).toBe(64);
    for (const name of ['none', 'HS1', '__proto__', 'RS256 ']) {
      await expectCode(() => jwsAlgorithm(name), 'ERR_JOSE_NOT_SUPPORTED');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isKnownAlgorithm } from '../../src/alg/known.js';
import { ENC_NAMES, JWS_ALGS, KM_NAMES } from '../helpers/index.js';

describe('isKnownAlgorithm', () => {
  it('is true for every JWS alg, JWE alg and enc, and for nothing else', () => {
    for (const name of [...JWS_ALGS, ...KM_NAMES, ...ENC_NAMES]) expect(isKnownAlgorithm(name)).toBe(true);
    for (const name of ['none', 'NONE', 'hs256', '', '__proto__', 'constructor', 'toString', 'P-256']) {
      expect(isKnownAlgorithm(name)).toBe(false);
    }
  });
});

// The JWE tables (key management, content encryption, ECDH curves) and their resolvers.
import { describe, expect, it } from 'vitest';
import {
  CONTENT_ENCRYPTION_ALGORITHMS,
  contentEncryptionAlgorithm,
  ECDH_CURVES,
  findContentEncryptionAlgorithm,
  findEcdhCurve,
  findKeyManagementAlgorithm,
  KEY_MANAGEMENT_ALGORITHMS,
  keyManagementAlgorithm,
} from '../../src/alg/jwe.js';
import { ENC_NAMES, expectCode, KM_NAMES } from '../helpers/index.js';

const hostile = ['', '__proto__', 'constructor', 'toString', 'valueOf'];
const notStrings = [undefined, null, 1, {}, ['A128GCM']];

describe('JWE algorithm tables', () => {
  it('entries are frozen and named by their key', () => {
    for (const table of [KEY_MANAGEMENT_ALGORITHMS, CONTENT_ENCRYPTION_ALGORITHMS]) {
      expect(Object.isFrozen(table)).toBe(true);
      for (const [name, entry] of Object.entries(table)) {
        expect(entry.name).toBe(name);
        expect(Object.isFrozen(entry)).toBe(true);
      }
    }
    expect(KM_NAMES).toContain('ECDH-ES+A256KW');
    expect(ENC_NAMES).toEqual(['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM']);
  });

  it('find*: exact names only, never a prototype member, undefined for non-strings', () => {
    expect(findKeyManagementAlgorithm('A256KW')?.kwBytes).toBe(32);
    expect(findContentEncryptionAlgorithm('A128GCM')?.keyBytes).toBe(16);
    for (const crv of ECDH_CURVES) expect(findEcdhCurve(crv)?.kty).toBe(crv.startsWith('P-') ? 'EC' : 'OKP');
    for (const name of [...hostile, 'a256kw', 'secp256k1', ...notStrings]) {
      expect(findKeyManagementAlgorithm(name)).toBeUndefined();
      expect(findContentEncryptionAlgorithm(name)).toBeUndefined();
      expect(findEcdhCurve(name)).toBeUndefined();
    }
  });

  it('the resolvers throw ERR_JOSE_NOT_SUPPORTED for anything else', async () => {
    expect(keyManagementAlgorithm('PBES2-HS256+A128KW').explicitOnly).toBe(true);
    expect(contentEncryptionAlgorithm('A128CBC-HS256').keyBytes).toBe(32);
    for (const name of [...hostile, 'RSA-OAEP-1024', 'A128CBC']) {
      await expectCode(() => keyManagementAlgorithm(name), 'ERR_JOSE_NOT_SUPPORTED');
      await expectCode(() => contentEncryptionAlgorithm(name), 'ERR_JOSE_NOT_SUPPORTED');
    }
  });
});

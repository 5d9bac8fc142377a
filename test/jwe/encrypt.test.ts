// encryptCompact/encryptJson, each checked by decrypting: every key management with every content encryption
// algorithm, the JSON serializations, compression. The decrypt side's refusals are in decrypt.test.ts.
import { describe, expect, it } from 'vitest';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { dirKey, ENC_NAMES, jweKeysFor, text } from '../helpers/index.js';

const WRAPPING = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
];
const CURVES = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'];

describe('every key management algorithm with every content encryption algorithm', () => {
  for (const alg of WRAPPING) {
    it(alg, async () => {
      const { encryptKey, decryptKey } = await jweKeysFor(alg);
      for (const enc of ENC_NAMES) {
        const jwe = await encryptCompact('Live long and prosper.', { alg, enc }, encryptKey);
        const { plaintext, protectedHeader } = await decryptCompact(jwe, decryptKey, {
          keyManagementAlgorithms: [alg],
        });
        expect(text(plaintext)).toBe('Live long and prosper.');
        expect(protectedHeader).toMatchObject({ alg, enc });
      }
    });
  }
  it('dir', async () => {
    for (const enc of ENC_NAMES) {
      const key = await dirKey(enc);
      const jwe = await encryptCompact('hi', { alg: 'dir', enc }, key);
      expect(jwe.split('.')[1]).toBe('');
      expect(text((await decryptCompact(jwe, key)).plaintext)).toBe('hi');
    }
  });
  for (const crv of CURVES) {
    it(`ECDH-ES and ECDH-ES+A256KW on ${crv}`, async () => {
      for (const alg of ['ECDH-ES', 'ECDH-ES+A256KW']) {
        const { encryptKey, decryptKey } = await jweKeysFor(alg, crv);
        const jwe = await encryptCompact('x', { alg, enc: 'A256GCM', apu: 'QWxpY2U', apv: 'Qm9i' }, encryptKey);
        const { plaintext, protectedHeader } = await decryptCompact(jwe, decryptKey);
        expect(text(plaintext)).toBe('x');
        expect((protectedHeader.epk as { crv: string }).crv).toBe(crv);
      }
    });
  }
});

describe('JSON serializations', () => {
  it('general, several recipients, all three header kinds and aad', async () => {
    const a = await jweKeysFor('A256KW');
    const r = await jweKeysFor('RSA-OAEP-256');
    const e = await jweKeysFor('ECDH-ES+A128KW', 'X25519');
    const jwe = await encryptJson('multi', {
      protectedHeader: { enc: 'A128CBC-HS256', cty: 'text/plain' },
      unprotectedHeader: { jku: 'https://example.com/keys' },
      aad: 'extra',
      recipients: [
        { header: { alg: 'A256KW', kid: 'a' }, key: a.encryptKey },
        { header: { alg: 'RSA-OAEP-256', kid: 'r' }, key: r.encryptKey },
        { header: { alg: 'ECDH-ES+A128KW', kid: 'e' }, key: e.encryptKey },
      ],
    });
    expect('recipients' in jwe && jwe.recipients).toHaveLength(3);
    for (const [k, kid] of [
      [a.decryptKey, 'a'],
      [r.decryptKey, 'r'],
      [e.decryptKey, 'e'],
    ] as const) {
      const out = await decryptJson(jwe, k);
      expect(text(out.plaintext)).toBe('multi');
      expect(out.header?.kid).toBe(kid);
      expect(out.unprotectedHeader).toEqual({ jku: 'https://example.com/keys' });
      expect(text(out.aad!)).toBe('extra');
      expect(out.key).toBe(k);
    }
    expect(text((await decryptJson(JSON.stringify(jwe), a.decryptKey)).plaintext)).toBe('multi');
  });

  it('flattened, with generated parameters in the protected header', async () => {
    const { encryptKey, decryptKey } = await jweKeysFor('A128GCMKW');
    const jwe = await encryptJson(
      new Uint8Array([1, 2, 3]),
      { protectedHeader: { alg: 'A128GCMKW', enc: 'A192GCM' }, recipients: [{ key: encryptKey }] },
      { flattened: true },
    );
    expect(jwe).not.toHaveProperty('recipients');
    expect(jwe).toHaveProperty('encrypted_key');
    const out = await decryptJson(jwe, decryptKey);
    expect([...out.plaintext]).toEqual([1, 2, 3]);
    expect(out.protectedHeader).toHaveProperty('iv');
    expect(out.protectedHeader).toHaveProperty('tag');
  });

  it('zip: "DEF" round-trips when allowed, and only then', async () => {
    const key = await dirKey('A256GCM');
    const plaintext = 'compress me '.repeat(100);
    const jwe = await encryptCompact(plaintext, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, key);
    expect(jwe.length).toBeLessThan(plaintext.length);
    expect(text((await decryptCompact(jwe, key, { allowZip: true })).plaintext)).toBe(plaintext);
    await expect(decryptCompact(jwe, key)).rejects.toMatchObject({ code: 'ERR_JOSE_NOT_SUPPORTED' });
    const plain = await encryptCompact(plaintext, { alg: 'dir', enc: 'A256GCM' }, key);
    expect(plain.length).toBeGreaterThan(plaintext.length); // never compressed unless asked
  });
});

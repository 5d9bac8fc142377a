// RFC 7516 appendix A, RFC 7517 appendix C (PBES2), RFC 8037 A.6/A.7 (X25519/X448 Z values) and the
// cookbook's extra X25519 ECDH-ES example.
import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findContentEncryptionAlgorithm } from '../../src/alg/jwe.js';
import { jwe as jweImpl } from '#crypto/jwe';
import { encryptContent } from '../../src/jwe/content.js';
import { ephemeralPublicKey } from '../../src/jwe/ecdh.js';
import { encryptToRecipients } from '../../src/jwe/encrypt.js';
import { decryptCompact, decryptJson, encryptCompact } from '../../src/jwe/index.js';
import { importKey } from '../../src/key/import.js';
import { keyHandle } from '../../src/key/key.js';
import {
  describeVectors,
  expectCode,
  fromB64u,
  fromHex,
  importBound,
  loadVector,
  text,
  toHex,
} from '../helpers/index.js';

const u8 = (s: string) => new TextEncoder().encode(s);
const b64uOf = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const entry = (v: any): Uint8Array => (typeof v === 'string' ? u8(v) : fromHex(v.hex));

describeVectors('RFC 7516 appendix A', () => {
  const s = () => loadVector('rfc/erlang-jose/rfc7516_appendix_A.json').sections;

  it('A.1 RSA-OAEP + A256GCM decrypts', async () => {
    const e = s()['A.1'].entries;
    const key = await importBound(JSON.parse(e['a.1.3.jwk+json']), 'RSA-OAEP');
    const { plaintext, protectedHeader } = await decryptCompact(e['a.1.7.jwe+compact'], key);
    expect(toHex(plaintext)).toBe(e['a.1.txt'].hex);
    expect(protectedHeader).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM' });
  });

  it('A.1 content encryption reproduces ciphertext and tag', async () => {
    const e = s()['A.1'].entries;
    const sealed = await encryptContent(
      findContentEncryptionAlgorithm('A256GCM')!,
      entry(e['a.1.2.cek']),
      entry(e['a.1.txt']),
      entry(e['a.1.5.aad']),
      entry(e['a.1.4.iv']),
    );
    expect(toHex(sealed.ciphertext)).toBe(e['a.1.6.txt.cipher'].hex);
    expect(toHex(sealed.tag)).toBe(e['a.1.6.txt.tag'].hex);
  });

  it('A.2 RSA1_5: decryption refused by design; encryption and content layer verified', async () => {
    const e = s()['A.2'].entries;
    const jwk = JSON.parse(e['a.2.3.jwk+json']);
    const key = await importBound(jwk, 'RSA1_5');
    const jwe = e['a.2.7.jwe+compact'];
    await expectCode(decryptCompact(jwe, key, { keyManagementAlgorithms: ['RSA1_5'] }), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(decryptCompact(jwe, key), 'ERR_JOSE_ALG_NOT_ALLOWED'); // bound, but never implicitly allowed
    // Encrypt with the example's CEK and IV: same header, ciphertext and tag; the encrypted key is random
    // PKCS#1 v1.5 padding around the CEK (checked with raw RSA here, outside jot).
    const out = await encryptToRecipients(
      entry(e['a.2.txt']),
      { protectedHeader: { alg: 'RSA1_5', enc: 'A128CBC-HS256' }, recipients: [{ key }] },
      { cek: entry(e['a.2.2.cek']), iv: entry(e['a.2.4.iv']) },
    );
    expect(out.protected).toBe(e['a.2.1.jwe+json.b64']);
    expect(out.ciphertext).toBe(e['a.2.6.txt.cipher.b64']);
    expect(out.tag).toBe(e['a.2.6.txt.tag.b64']);
    const em = privateDecrypt(
      { key: createPrivateKey({ key: jwk, format: 'jwk' }), padding: constants.RSA_NO_PADDING },
      fromB64u(out.recipients[0]!.encrypted_key!),
    );
    expect([em[0], em[1]]).toEqual([0, 2]);
    const sep = em.indexOf(0, 2);
    expect(sep).toBeGreaterThanOrEqual(10);
    expect(toHex(em.subarray(sep + 1))).toBe(e['a.2.2.cek'].hex);
  });

  it('A.3 A128KW + A128CBC-HS256 decrypts and is reproduced byte for byte', async () => {
    const e = s()['A.3'].entries;
    const key = await importBound(JSON.parse(e['a.3.3.jwk+json']), 'A128KW');
    const compact = e['a.3.7.jwe+compact'];
    expect(text((await decryptCompact(compact, key)).plaintext)).toBe('Live long and prosper.');
    const out = await encryptToRecipients(
      entry(e['a.3.txt']),
      { protectedHeader: { alg: 'A128KW', enc: 'A128CBC-HS256' }, recipients: [{ key }] },
      { cek: entry(e['a.3.2.cek']), iv: entry(e['a.3.4.iv']) },
    );
    expect([out.protected, out.recipients[0]!.encrypted_key, out.iv, out.ciphertext, out.tag].join('.')).toBe(compact);
  });
});

describeVectors('RFC 7517 appendix C: PBES2-HS256+A128KW', () => {
  const c = () => loadVector('rfc/erlang-jose/rfc7517_appendix_C.json').sections.C.entries;
  const alg = 'PBES2-HS256+A128KW';

  it('derives the key, unwraps and decrypts (PBES2 must be listed explicitly)', async () => {
    const e = c();
    const pw = await importKey(u8(e['c.4.txt']), { alg });
    const dk = await jweImpl.pbkdf2('sha256', u8(e['c.4.txt']), entry(e['c.4.salt']), 4096, 16);
    expect(toHex(dk)).toBe(e['c.4.derivedkey'].hex);
    const { plaintext, protectedHeader } = await decryptCompact(e['c.9.jwe+txt'], pw, {
      keyManagementAlgorithms: [alg],
    });
    expect(JSON.parse(text(plaintext))).toEqual(JSON.parse(e['c.1.jwk+json']));
    expect(protectedHeader.p2c).toBe(4096);
    await expectCode(decryptCompact(e['c.9.jwe+txt'], pw), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('encryption reproduces the encrypted key and ciphertext', async () => {
    const e = c();
    const pw = await importKey(u8(e['c.4.txt']), { alg });
    const out = await encryptToRecipients(
      entry(e['c.1.jwk+json']),
      { protectedHeader: { alg, p2c: 4096, enc: 'A128CBC-HS256', cty: 'jwk+json' }, recipients: [{ key: pw }] },
      { cek: entry(e['c.3.cek']), iv: entry(e['c.6.iv']), recipients: [{ p2s: fromB64u('2WCTcJZ1Rvd_CJuJripQ1w') }] },
    );
    expect(toHex(fromB64u(out.recipients[0]!.encrypted_key!))).toBe(e['c.5.encryptedkey'].hex);
    expect(toHex(fromB64u(out.ciphertext))).toBe(e['c.8.ciphertxt'].hex);
  });
});

describeVectors('RFC 8037 A.6 and A.7: X25519 and X448 shared secrets', () => {
  for (const [section, crv, alg] of [
    ['A.6', 'X25519', 'ECDH-ES+A128KW'],
    ['A.7', 'X448', 'ECDH-ES+A256KW'],
  ] as const) {
    it(`${section} ${crv}: Z both ways, through epk validation, and a full JWE`, async () => {
      const e = loadVector('rfc/erlang-jose/rfc8037_appendix_A.json').sections[section].entries;
      const n = section === 'A.6' ? 'a.6' : 'a.7';
      const okp = (d: string, x: string) =>
        importKey({ kty: 'OKP', crv, d: b64uOf(fromHex(d)), x: b64uOf(fromHex(x)) });
      const bob = await okp(e[`${n}.bob-secret+hex`], e[`${n}.bob-pk+hex`]);
      const eph = await okp(e[`${n}.epk-secret+hex`], e[`${n}.epk-pk+hex`]);
      const header = JSON.parse(e[`${n}.jwe+json`]);
      const epk = ephemeralPublicKey(header.epk, bob);
      expect(toHex((await jweImpl.ecdh(bob.crv!, keyHandle(bob), epk))!)).toBe(e[`${n}.z+hex`]);
      expect(toHex((await jweImpl.ecdh(bob.crv!, keyHandle(eph), keyHandle(bob)))!)).toBe(e[`${n}.z+hex`]);
      const recipient = await importKey(JSON.parse(e[`${n}.bob-jwk+json`]), { alg });
      const out = await encryptToRecipients(
        'to Bob',
        { protectedHeader: { alg, enc: 'A128GCM' }, recipients: [{ key: recipient }] },
        {
          recipients: [{ ephemeralKey: eph }],
        },
      );
      const jwe = `${out.protected}.${out.recipients[0]!.encrypted_key}.${out.iv}.${out.ciphertext}.${out.tag}`;
      const { plaintext, protectedHeader } = await decryptCompact(jwe, bob, { keyManagementAlgorithms: [alg] });
      expect(text(plaintext)).toBe('to Bob');
      expect(protectedHeader.epk).toEqual(JSON.parse(e[`${n}.epk-jwk+json`]));
    });
  }
});

describeVectors('RFC 7520 curve25519/ecdh-es.json', () => {
  it('decrypts compact, json and json_flat', async () => {
    const ex = loadVector('rfc7520/curve25519/ecdh-es.json');
    const key = await importBound(ex.input.key, 'ECDH-ES');
    expect(text((await decryptCompact(ex.output.compact, key)).plaintext)).toBe(ex.input.plaintext);
    expect(text((await decryptJson(ex.output.json, key)).plaintext)).toBe(ex.input.plaintext);
    expect(text((await decryptJson(ex.output.json_flat, key)).plaintext)).toBe(ex.input.plaintext);
  });
});

describe('encryptCompact smoke for the appendix algorithms', () => {
  it('RSA1_5 encrypts (decrypt-side refusal is documented)', async () => {
    const { generateKeyPair } = await import('../../src/key/generate.js');
    const { publicKey, privateKey } = await generateKeyPair('RSA1_5');
    const jwe = await encryptCompact('x', { alg: 'RSA1_5', enc: 'A128GCM' }, publicKey);
    await expectCode(decryptCompact(jwe, privateKey, { keyManagementAlgorithms: ['RSA1_5'] }), [
      'ERR_JOSE_NOT_SUPPORTED',
    ]);
  });
});

// Interop with `jose` v6 both ways, for every key management x content encryption pair both support.
// jose 6 has no RSA1_5 and no X448 ECDH; everything else is covered, plus zip and General JSON.
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import * as jose from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_ENCRYPTION_ALGORITHMS } from '../../src/alg/jwe.js';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { ENC_NAMES, text } from '../helpers/index.js';

interface Pair {
  /** What jose takes. */
  joseEncrypt: KeyObject | Uint8Array;
  joseDecrypt: KeyObject | Uint8Array;
  /** The same keys in jot. */
  jotEncrypt: Key;
  jotDecrypt: Key;
}

const bytes = (n: number) => new Uint8Array(randomBytes(n));
const password = new TextEncoder().encode('interop password');

async function asymmetric(alg: string, pair: { publicKey: KeyObject; privateKey: KeyObject }): Promise<Pair> {
  return {
    joseEncrypt: pair.publicKey,
    joseDecrypt: pair.privateKey,
    jotEncrypt: await importKey(pair.publicKey, { alg }),
    jotDecrypt: await importKey(pair.privateKey, { alg }),
  };
}

async function secret(alg: string, k: Uint8Array): Promise<Pair> {
  const key = await importKey(k, { alg });
  return { joseEncrypt: k, joseDecrypt: k, jotEncrypt: key, jotDecrypt: key };
}

const RSA = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'];
const KW: [string, number][] = [
  ['A128KW', 16],
  ['A192KW', 24],
  ['A256KW', 32],
  ['A128GCMKW', 16],
  ['A192GCMKW', 24],
  ['A256GCMKW', 32],
];
const PBES2 = ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'];
const ECDH = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'];
const CURVES: [string, () => { publicKey: KeyObject; privateKey: KeyObject }][] = [
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'secp521r1' })],
  ['X25519', () => generateKeyPairSync('x25519')],
];

const cases: { name: string; alg: string; pair: () => Promise<Pair> }[] = [];
let rsa: { publicKey: KeyObject; privateKey: KeyObject };
beforeAll(() => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
});
for (const alg of RSA) cases.push({ name: alg, alg, pair: () => asymmetric(alg, rsa) });
for (const [alg, n] of KW) cases.push({ name: alg, alg, pair: () => secret(alg, bytes(n)) });
for (const alg of PBES2) cases.push({ name: alg, alg, pair: () => secret(alg, password) });
for (const alg of ECDH) {
  for (const [crv, gen] of CURVES) cases.push({ name: `${alg} ${crv}`, alg, pair: () => asymmetric(alg, gen()) });
}

const plaintext = 'interop ✓ — jot and jose';
const joseOptions = (alg: string) => ({ keyManagementAlgorithms: [alg] });

describe('jot encrypts, jose decrypts', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const pair = await c.pair();
      for (const enc of ENC_NAMES) {
        const jwe = await encryptCompact(plaintext, { alg: c.alg, enc }, pair.jotEncrypt);
        const out = await jose.compactDecrypt(jwe, pair.joseDecrypt, joseOptions(c.alg));
        expect(text(out.plaintext)).toBe(plaintext);
      }
    });
  }
  it('dir, every enc', async () => {
    for (const enc of ENC_NAMES) {
      const k = bytes(CONTENT_ENCRYPTION_ALGORITHMS[enc]!.keyBytes);
      const jwe = await encryptCompact(plaintext, { alg: 'dir', enc }, await importKey(k, { alg: 'dir' }));
      expect(text((await jose.compactDecrypt(jwe, k)).plaintext)).toBe(plaintext);
    }
  });
});

describe('jose encrypts, jot decrypts', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const pair = await c.pair();
      for (const enc of ENC_NAMES) {
        const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(plaintext))
          .setProtectedHeader({ alg: c.alg, enc })
          .encrypt(pair.joseEncrypt);
        const out = await decryptCompact(jwe, pair.jotDecrypt, { keyManagementAlgorithms: [c.alg] });
        expect(text(out.plaintext)).toBe(plaintext);
      }
    });
  }
  it('dir, every enc', async () => {
    for (const enc of ENC_NAMES) {
      const k = bytes(CONTENT_ENCRYPTION_ALGORITHMS[enc]!.keyBytes);
      const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(plaintext))
        .setProtectedHeader({ alg: 'dir', enc })
        .encrypt(k);
      expect(text((await decryptCompact(jwe, await importKey(k, { alg: 'dir' }))).plaintext)).toBe(plaintext);
    }
  });
});

describe('JSON serializations and compression across implementations', () => {
  it('General JSON with two recipients, both ways', async () => {
    const kek = bytes(32);
    const r = await asymmetric('RSA-OAEP-256', rsa);
    const k = await importKey(kek, { alg: 'A256KW' });
    const mine = await encryptJson(plaintext, {
      protectedHeader: { enc: 'A256GCM' },
      unprotectedHeader: { cty: 'text/plain' },
      aad: 'aad',
      recipients: [
        { header: { alg: 'A256KW' }, key: k },
        { header: { alg: 'RSA-OAEP-256' }, key: r.jotEncrypt },
      ],
    });
    for (const key of [kek, rsa.privateKey]) {
      const out = await jose.generalDecrypt(mine as jose.GeneralJWE, key);
      expect(text(out.plaintext)).toBe(plaintext);
    }
    const theirs = await new jose.GeneralEncrypt(new TextEncoder().encode(plaintext))
      .setProtectedHeader({ enc: 'A128CBC-HS256' })
      .setSharedUnprotectedHeader({ cty: 'text/plain' })
      .setAdditionalAuthenticatedData(new TextEncoder().encode('aad'))
      .addRecipient(kek)
      .setUnprotectedHeader({ alg: 'A256KW' })
      .addRecipient(rsa.publicKey)
      .setUnprotectedHeader({ alg: 'RSA-OAEP-256' })
      .encrypt();
    for (const key of [k, r.jotDecrypt]) {
      const out = await decryptJson(theirs, key);
      expect(text(out.plaintext)).toBe(plaintext);
      expect(text(out.aad!)).toBe('aad');
    }
  });

  it('flattened JSON and zip: "DEF", both ways', async () => {
    const kek = bytes(16);
    const k = await importKey(kek, { alg: 'A128GCMKW' });
    const long = plaintext.repeat(50);
    const mine = await encryptJson(
      long,
      { protectedHeader: { alg: 'A128GCMKW', enc: 'A128GCM', zip: 'DEF' }, recipients: [{ key: k }] },
      { flattened: true },
    );
    expect(text((await jose.flattenedDecrypt(mine as jose.FlattenedJWE, kek)).plaintext)).toBe(long);
    const theirs = await new jose.CompactEncrypt(new TextEncoder().encode(long))
      .setProtectedHeader({ alg: 'A128GCMKW', enc: 'A128GCM', zip: 'DEF' })
      .encrypt(kek);
    expect(text((await decryptCompact(theirs, k, { allowZip: true })).plaintext)).toBe(long);
  });
});

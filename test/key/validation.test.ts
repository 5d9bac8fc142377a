/**
 * JWK validation (RFC 7517, RFC 7518 section 6): points on the curve, exact coordinate lengths, consistent RSA
 * parts, minimal integers, sane exponents, private members only with `d`, canonical base64url members, small-order
 * and non-canonical Edwards keys, ROCA moduli, and material that is not a key at all. Exact error codes.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKey, type JWK } from '../../src/index.js';
import { hasRocaFingerprint } from '../../src/key/roca.js';
import { describeVectors, expectCode, fromB64u, loadVector, toB64u } from '../helpers/index.js';

const jwkOf = (type: string, options: object = {}): { pub: JWK; priv: JWK } => {
  const { publicKey, privateKey } = generateKeyPairSync(type as 'ec', options as never) as unknown as {
    publicKey: KeyObject;
    privateKey: KeyObject;
  };
  return { pub: publicKey.export({ format: 'jwk' }) as JWK, priv: privateKey.export({ format: 'jwk' }) as JWK };
};
const P256 = jwkOf('ec', { namedCurve: 'prime256v1' });
const P256B = jwkOf('ec', { namedCurve: 'prime256v1' });
const P521 = jwkOf('ec', { namedCurve: 'secp521r1' });
const RSA = jwkOf('rsa', { modulusLength: 2048 });
const RSA_E3 = jwkOf('rsa', { modulusLength: 2048, publicExponent: 3 });
const ED = jwkOf('ed25519');
const EDB = jwkOf('ed25519');

/** Change one member's decoded bytes. */
const edit = (s: string, f: (b: Uint8Array) => Uint8Array): string => toB64u(f(fromB64u(s)));
const flipLast = (b: Uint8Array): Uint8Array => b.map((v, i) => (i === b.length - 1 ? v ^ 1 : v));
const prepend0 = (b: Uint8Array): Uint8Array => Uint8Array.of(0, ...b);

type Case = [string, unknown, string];

const EC_CASES: Case[] = [
  ['a point off the curve (y changed)', { ...P256.pub, y: edit(P256.pub.y!, flipLast) }, 'ERR_JWK_INVALID'],
  ['x one byte short', { ...P256.pub, x: edit(P256.pub.x!, (b) => b.subarray(1)) }, 'ERR_JWK_INVALID'],
  ['x with a leading zero byte (33 bytes)', { ...P256.pub, x: edit(P256.pub.x!, prepend0) }, 'ERR_JWK_INVALID'],
  ['P-521 y of 65 bytes', { ...P521.pub, y: edit(P521.pub.y!, (b) => b.subarray(1)) }, 'ERR_JWK_INVALID'],
  ['no y', { kty: 'EC', crv: 'P-256', x: P256.pub.x }, 'ERR_JWK_INVALID'],
  ['an unsupported curve', { ...P256.pub, crv: 'P-192' }, 'ERR_JOSE_NOT_SUPPORTED'],
  ['an OKP curve under kty EC', { ...P256.pub, crv: 'Ed25519' }, 'ERR_JOSE_NOT_SUPPORTED'],
  ['a d of the wrong length', { ...P256.priv, d: edit(P256.priv.d!, prepend0) }, 'ERR_JWK_INVALID'],
  ["another key's d (public part does not match)", { ...P256.pub, d: P256B.priv.d }, 'ERR_KEY_INVALID'],
  ['an RSA member on an EC key', { ...P256.priv, p: RSA.priv.p }, 'ERR_JWK_INVALID'],
  ['padding in x', { ...P256.pub, x: `${P256.pub.x}=` }, 'ERR_JWK_INVALID'],
  ['"+" in x', { ...P256.pub, x: `+${P256.pub.x!.slice(1)}` }, 'ERR_JWK_INVALID'],
  ['whitespace in y', { ...P256.pub, y: ` ${P256.pub.y!.slice(1)}` }, 'ERR_JWK_INVALID'],
];

const RSA_CASES: Case[] = [
  ['n with a leading zero byte', { ...RSA.pub, n: edit(RSA.pub.n!, prepend0) }, 'ERR_JWK_INVALID'],
  ['e with a leading zero byte', { ...RSA.pub, e: 'AAEAAQ' }, 'ERR_JWK_INVALID'],
  ['e = 1', { ...RSA.pub, e: 'AQ' }, 'ERR_KEY_INVALID'],
  ['an even e (65536)', { ...RSA.pub, e: 'AQAA' }, 'ERR_KEY_INVALID'],
  ['an empty e', { ...RSA.pub, e: '' }, 'ERR_JWK_INVALID'],
  ['a modulus under 2048 bits', { ...RSA.pub, n: edit(RSA.pub.n!, (b) => b.subarray(1)) }, 'ERR_KEY_INVALID'],
  ['p and q swapped with dp/dq kept', { ...RSA.priv, p: RSA.priv.q, q: RSA.priv.p }, 'ERR_KEY_INVALID'],
  ['a changed dp', { ...RSA.priv, dp: edit(RSA.priv.dp!, flipLast) }, 'ERR_KEY_INVALID'],
  ['a changed qi', { ...RSA.priv, qi: edit(RSA.priv.qi!, flipLast) }, 'ERR_KEY_INVALID'],
  ['a changed d', { ...RSA.priv, d: edit(RSA.priv.d!, flipLast) }, 'ERR_KEY_INVALID'],
  ["another modulus with this key's primes", { ...RSA.priv, n: RSA_E3.pub.n }, 'ERR_KEY_INVALID'],
  ['private members without d', { ...RSA.pub, p: RSA.priv.p, q: RSA.priv.q }, 'ERR_JWK_INVALID'],
  ['d without the CRT members', { ...RSA.pub, d: RSA.priv.d }, 'ERR_JWK_INVALID'],
  ['multi-prime "oth"', { ...RSA.priv, oth: [] }, 'ERR_JOSE_NOT_SUPPORTED'],
  ['a non-string n', { ...RSA.pub, n: 12345 }, 'ERR_JWK_INVALID'],
];

const OKP_CASES: Case[] = [
  ['a y member', { ...ED.pub, y: ED.pub.x }, 'ERR_JWK_INVALID'],
  ['x of 31 bytes', { ...ED.pub, x: edit(ED.pub.x!, (b) => b.subarray(1)) }, 'ERR_JWK_INVALID'],
  ["another key's d", { ...ED.pub, d: EDB.priv.d }, 'ERR_KEY_INVALID'],
  // A18: the identity point (order 1) verifies the all-zero signature for any message.
  ['the Ed25519 identity point', { kty: 'OKP', crv: 'Ed25519', x: `AQ${'A'.repeat(41)}` }, 'ERR_KEY_INVALID'],
  // y = p = 2^255 - 19 is the non-canonical encoding of 0 (a point of order 4).
  [
    'a non-canonical Ed25519 encoding',
    { kty: 'OKP', crv: 'Ed25519', x: toB64u(Uint8Array.of(0xed, ...new Uint8Array(30).fill(0xff), 0x7f)) },
    'ERR_KEY_INVALID',
  ],
  [
    'the Ed448 identity point',
    { kty: 'OKP', crv: 'Ed448', x: toB64u(Uint8Array.of(1, ...new Uint8Array(56))) },
    'ERR_KEY_INVALID',
  ],
  ['an EC curve under kty OKP', { kty: 'OKP', crv: 'P-256', x: P256.pub.x }, 'ERR_JOSE_NOT_SUPPORTED'],
];

const GENERAL_CASES: Case[] = [
  ['an empty k', { kty: 'oct', k: '' }, 'ERR_KEY_INVALID'],
  ['no k', { kty: 'oct' }, 'ERR_JWK_INVALID'],
  ['a padded k', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 'ERR_JWK_INVALID'],
  [
    'k with non-zero trailing bits',
    { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB' },
    'ERR_JWK_INVALID',
  ],
  ['no kty', { k: 'AAAA' }, 'ERR_JWK_INVALID'],
  ['a non-string kty', { kty: ['oct'], k: 'AAAA' }, 'ERR_JWK_INVALID'],
  ['an unknown kty', { kty: 'XKP', pub: 'AAAA' }, 'ERR_JOSE_NOT_SUPPORTED'],
  ['an unknown use', { ...ED.pub, use: 'sign' }, 'ERR_JWK_INVALID'],
  ['empty key_ops', { ...ED.pub, key_ops: [] }, 'ERR_JWK_INVALID'],
  ['an unknown key op', { ...ED.pub, key_ops: ['verify', 'sign, verify'] }, 'ERR_JWK_INVALID'],
  ['a repeated key op', { ...ED.pub, key_ops: ['verify', 'verify'] }, 'ERR_JWK_INVALID'],
  ['key_ops that is not an array', { ...ED.pub, key_ops: 'verify' }, 'ERR_JWK_INVALID'],
  ['a non-boolean ext', { ...ED.pub, ext: 'true' }, 'ERR_JWK_INVALID'],
  ['a non-string alg', { ...ED.pub, alg: ['EdDSA'] }, 'ERR_JWK_INVALID'],
  ['a non-string kid', { ...ED.pub, kid: 7 }, 'ERR_JWK_INVALID'],
  ['members only inherited from the prototype', Object.create({ kty: 'oct', k: 'AAAA' }), 'ERR_JWK_INVALID'],
];

describe('JWK validation', () => {
  for (const [group, cases] of [
    ['EC', EC_CASES],
    ['RSA', RSA_CASES],
    ['OKP', OKP_CASES],
    ['oct and common members', GENERAL_CASES],
  ] as const) {
    describe(group, () => {
      for (const [name, jwk, code] of cases) {
        it(`rejects ${name}: ${code}`, () => expectCode(importKey(jwk as JWK), code as 'ERR_JWK_INVALID'));
      }
    });
  }

  it('accepts the valid originals of every case above (so each rejection is about its one change)', async () => {
    for (const jwk of [P256.pub, P256.priv, P521.pub, RSA.pub, RSA.priv, RSA_E3.priv, ED.pub, ED.priv]) {
      await importKey(jwk);
    }
    expect((await importKey(RSA_E3.pub)).kty).toBe('RSA'); // e = 3 is odd and >= 3: allowed
    expect((await importKey({ ...P256.priv })).isPrivate).toBe(true);
    expect((await importKey({ ...ED.pub, key_ops: ['verify'], ext: true })).keyOps).toEqual(['verify']);
  });

  it('material that is not a key: ERR_KEY_INVALID, never a TypeError', async () => {
    for (const m of [null, undefined, 0, 1n, true, [], ['a'], new Uint8Array(0), () => 1, Symbol('k'), new Date()]) {
      await expectCode(importKey(m as unknown as JWK), ['ERR_KEY_INVALID', 'ERR_JWK_INVALID']);
    }
    // A string is only ever PEM: secrets, base64 and JSON text are not keys (A05).
    for (const s of ['secret', 'c2VjcmV0', JSON.stringify(ED.pub), '', '-----BEGIN PUBLIC KEY-----']) {
      await expectCode(importKey(s), 'ERR_KEY_INVALID');
    }
  });

  it('options are checked: unknown alg, empty kid, bad use', async () => {
    await expectCode(importKey(ED.pub, { alg: 'Ed25519X' }), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(importKey(ED.pub, { kid: '' }), 'ERR_INVALID_OPTION');
    await expectCode(importKey(ED.pub, { use: 'sign' as 'sig' }), 'ERR_INVALID_OPTION');
    await expectCode(importKey(ED.pub, 'EdDSA' as never), 'ERR_INVALID_OPTION');
  });
});

describe('ROCA fingerprint (CVE-2017-15361)', () => {
  it('flags a modulus of the RSALib form k * M + 65537^a mod M, and not the moduli of fresh keys', () => {
    const primes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];
    const more = [101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];
    const M = [...primes, ...more].reduce((a, p) => a * BigInt(p), 1n);
    let g = 1n;
    for (let i = 0; i < 1234; i++) g = (g * 65537n) % M;
    const n = (2n ** 2047n / M + 12345n) * M + g;
    expect(hasRocaFingerprint(n)).toBe(true);
    expect(hasRocaFingerprint(n + 2n)).toBe(false);
    const fresh = BigInt(`0x${Buffer.from(RSA.pub.n!, 'base64url').toString('hex')}`);
    expect(hasRocaFingerprint(fresh)).toBe(false);
  });
});

describeVectors('ROCA keys from Wycheproof json_web_key', () => {
  it('the "jws_rsa_roca_key" group key is refused at import', async () => {
    const data = loadVector<any>('wycheproof/json_web_key_test.json');
    const group = data.testGroups.find((g: any) => g.comment === 'jws_rsa_roca_key');
    for (const jwk of [...group.public.keys, ...group.private.keys]) {
      await expectCode(importKey(jwk), 'ERR_KEY_INVALID');
      const { alg: _alg, ...unbound } = jwk;
      await expectCode(importKey(unbound), 'ERR_KEY_INVALID');
    }
  });
});

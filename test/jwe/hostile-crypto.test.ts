// Hostile inputs against the cryptographic layers: invalid-curve epk (A22), RSA1_5 (A23), CBC-HMAC
// padding oracles (A24), tag truncation and extension (A25), CEK-length confusion (A27), swapped parts.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { jwe } from '#crypto/jwe';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cbcHmacAl } from '../../src/jwe/content.js';
import { decryptCompact, encryptCompact } from '../../src/jwe/index.js';
import { exportJwk } from '../../src/key/export.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { craftDir, expectCode, measure, rejection } from '../helpers/index.js';

const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
vi.mock('#crypto/jwe', async (original) => (await import('../helpers/backend.js')).countingJwe(await original(), counts));

const MB = 1024 * 1024;
const e64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const d64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const parts = (jwe: string) => jwe.split('.') as [string, string, string, string, string];
const withTag = (jwe: string, tag: Uint8Array) => [...parts(jwe).slice(0, 4), e64(tag)].join('.');

describe("A22 the epk must be a valid point on the recipient key's curve", () => {
  let recipient: { privateKey: Key; publicKey: Key };
  let jwe: string;
  beforeAll(async () => {
    recipient = await generateKeyPair('ECDH-ES+A128KW', { crv: 'P-256' });
    jwe = await encryptCompact('x', { alg: 'ECDH-ES+A128KW', enc: 'A128CBC-HS256' }, recipient.publicKey);
  });
  const withEpk = (epk: unknown) => {
    const [, ek, iv, ct, tag] = parts(jwe);
    const h = e64(Buffer.from(JSON.stringify({ alg: 'ECDH-ES+A128KW', enc: 'A128CBC-HS256', epk })));
    return `${h}.${ek}.${iv}.${ct}.${tag}`;
  };

  it('off the curve, (0,0), coordinates >= p, wrong lengths, another curve, private parts: ERR_JWE_INVALID, fast', async () => {
    const { x, y } = JSON.parse(Buffer.from(parts(jwe)[0], 'base64url').toString()).epk;
    const yPlus1 = d64(y);
    yPlus1[31]! ^= 1;
    const p = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');
    const other = await exportJwk((await generateKeyPair('ECDH-ES', { crv: 'P-384' })).publicKey);
    const bad = [
      { kty: 'EC', crv: 'P-256', x, y: e64(yPlus1) },
      { kty: 'EC', crv: 'P-256', x: e64(new Uint8Array(32)), y: e64(new Uint8Array(32)) },
      { kty: 'EC', crv: 'P-256', x: e64(p), y },
      { kty: 'EC', crv: 'P-256', x: e64(d64(x).subarray(1)), y },
      { kty: 'EC', crv: 'P-256', x: e64(Buffer.concat([Buffer.alloc(1), d64(x)])), y },
      other,
      { kty: 'OKP', crv: 'X25519', x: e64(new Uint8Array(32)) },
      { kty: 'EC', crv: 'P-256', x, y, d: x },
      { kty: 'EC', crv: 'P-256', x },
      'epk',
      null,
    ];
    let slowest = 0;
    for (const epk of bad) {
      const { ms, grew, result } = await measure(() => decryptCompact(withEpk(epk), recipient.privateKey));
      expect((result as { code?: string }).code, JSON.stringify(epk)).toBe('ERR_JWE_INVALID');
      expect(ms).toBeLessThan(1000);
      expect(grew).toBeLessThan(8 * MB);
      slowest = Math.max(slowest, ms);
    }
    console.info(`epk off the curve: slowest ${slowest.toFixed(2)} ms`);
  });

  it('an all-zero X25519/X448 shared secret (a small-order epk) is the one decryption failure', async () => {
    for (const crv of ['X25519', 'X448'] as const) {
      const r = await generateKeyPair('ECDH-ES+A128KW', { crv });
      const t = await encryptCompact('x', { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }, r.publicKey);
      const [, ek, iv, ct, tag] = parts(t);
      const size = crv === 'X25519' ? 32 : 56;
      for (const u of [new Uint8Array(size), Uint8Array.from({ length: size }, (_, i) => (i === 0 ? 1 : 0))]) {
        const h = e64(
          Buffer.from(JSON.stringify({ alg: 'ECDH-ES+A128KW', enc: 'A128GCM', epk: { kty: 'OKP', crv, x: e64(u) } })),
        );
        await expectCode(decryptCompact(`${h}.${ek}.${iv}.${ct}.${tag}`, r.privateKey), 'ERR_JWE_DECRYPTION_FAILED');
      }
    }
  });
});

describe('A23 RSA1_5 decryption is refused, identically for every padding variant', () => {
  it('not allowed unless listed; when listed, ERR_JOSE_NOT_SUPPORTED with one message whatever the key bytes', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RSA1_5');
    const jwe = await encryptCompact('x', { alg: 'RSA1_5', enc: 'A128GCM' }, publicKey);
    await expectCode(decryptCompact(jwe, privateKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
    const [h, , iv, ct, tag] = parts(jwe);
    const seen = new Set<string>();
    for (const ek of [parts(jwe)[1], e64(randomBytes(256)), e64(randomBytes(257)), e64(Buffer.alloc(256))]) {
      const e = await rejection(
        decryptCompact(`${h}.${ek}.${iv}.${ct}.${tag}`, privateKey, { keyManagementAlgorithms: ['RSA1_5'] }),
      );
      seen.add(JSON.stringify(e));
    }
    expect([...seen]).toEqual([
      JSON.stringify({
        name: 'JotError',
        code: 'ERR_JOSE_NOT_SUPPORTED',
        message: 'RSA1_5 decryption is not supported',
      }),
    ]);
  });
});

describe('A24 CBC-HMAC: the tag is checked in constant time before any AES, and every failure looks the same', () => {
  afterEach(() => {
    counts.aesCbcDecrypt = 0;
  });

  const cek = new Uint8Array(randomBytes(32));
  const [macKey, encKey] = [cek.subarray(0, 16), cek.subarray(16)];
  const header = { alg: 'dir', enc: 'A128CBC-HS256' };
  const protectedB64 = e64(Buffer.from(JSON.stringify(header)));
  /** A token whose tag is computed correctly over an arbitrary (unpadded) ciphertext. */
  const authentic = (ct: Uint8Array, iv = new Uint8Array(16)) => {
    const aad = Buffer.from(protectedB64);
    const mac = createHmac('sha256', macKey).update(aad).update(iv).update(ct).update(cbcHmacAl(aad.length)).digest();
    return `${protectedB64}..${e64(iv)}.${e64(ct)}.${e64(mac.subarray(0, 16))}`;
  };
  const rawCbc = (pt: Uint8Array) => {
    const c = createCipheriv('aes-128-cbc', encKey, new Uint8Array(16)).setAutoPadding(false);
    return Buffer.concat([c.update(pt), c.final()]);
  };

  it('(a) altered last block and (b) wrong tag fail without ever running AES-CBC', async () => {
    const key = await importKey(cek, { alg: 'dir' });
    const good = await craftDir(header, cek, new TextEncoder().encode('attack at dawn, padding matters'));
    const [h, ek, iv, ct, tag] = parts(good);
    const c = d64(ct);
    c[c.length - 1]! ^= 1;
    const t = d64(tag);
    t[0]! ^= 1;
    const errors = [
      await rejection(decryptCompact(`${h}.${ek}.${iv}.${e64(c)}.${tag}`, key)),
      await rejection(decryptCompact(`${h}.${ek}.${iv}.${ct}.${e64(t)}`, key)),
    ];
    expect(counts.aesCbcDecrypt).toBe(0);
    for (const e of errors)
      expect(e.toJSON()).toEqual({ name: 'JotError', code: 'ERR_JWE_DECRYPTION_FAILED', message: 'decryption failed' });
  });

  it('(c) bad padding behind a valid tag, (d) a partial block, (e) an empty ciphertext: the same error', async () => {
    const key = await importKey(cek, { alg: 'dir' });
    const tokens = [
      authentic(rawCbc(new Uint8Array(16).fill(0))), // last byte 00
      authentic(rawCbc(new Uint8Array(16).fill(0x11))), // pad 17 > 16
      authentic(rawCbc(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 2 : 9)))), // 09 02: inconsistent
      authentic(new Uint8Array(randomBytes(20))),
      authentic(new Uint8Array(0)),
    ];
    const seen = new Set<string>();
    for (const t of tokens) seen.add(JSON.stringify(await rejection(decryptCompact(t, key))));
    expect([...seen]).toEqual([
      JSON.stringify({ name: 'JotError', code: 'ERR_JWE_DECRYPTION_FAILED', message: 'decryption failed' }),
    ]);
  });
});

describe("A25 tags are exactly the algorithm's length; truncation, extension and shifting all fail", () => {
  const cases: [string, string][] = [
    ['dir', 'A128GCM'],
    ['dir', 'A256GCM'],
    ['dir', 'A128CBC-HS256'],
    ['dir', 'A256CBC-HS512'],
    ['A128GCMKW', 'A128GCM'],
  ];
  for (const [alg, enc] of cases) {
    it(`${alg} + ${enc}`, async () => {
      const key = alg === 'dir' ? await generateSecret(enc) : await generateSecret(alg);
      const jwe = await encryptCompact('truncate me', { alg, enc }, key);
      const tag = d64(parts(jwe)[4]);
      const variants = [0, 1, 4, 8, 12, 15].filter((n) => n < tag.length).map((n) => tag.subarray(0, n));
      variants.push(Buffer.concat([tag, Buffer.alloc(1)]), Buffer.concat([tag, tag]));
      let slowest = 0;
      for (const t of variants) {
        const { ms, grew, result } = await measure(() => decryptCompact(withTag(jwe, t), key));
        slowest = Math.max(slowest, ms);
        expect(['ERR_JWE_DECRYPTION_FAILED', 'ERR_JWE_INVALID']).toContain((result as { code?: string }).code);
        expect(ms).toBeLessThan(1000);
        expect(grew).toBeLessThan(8 * MB);
      }
      console.info(`truncated/extended tag ${alg}+${enc}: slowest ${slowest.toFixed(2)} ms`);
      const [h, ek, iv, ct] = parts(jwe);
      const c = d64(ct);
      if (enc.endsWith('GCM')) {
        // Bytes moved between ciphertext and tag rebuild the same GCM input: still rejected.
        const moved = `${h}.${ek}.${iv}.${e64(c.subarray(0, -1))}.${e64(Buffer.concat([c.subarray(-1), tag]))}`;
        const back = `${h}.${ek}.${iv}.${e64(Buffer.concat([c, tag.subarray(0, 1)]))}.${e64(tag.subarray(1))}`;
        for (const t of [moved, back]) await expectCode(decryptCompact(t, key), 'ERR_JWE_DECRYPTION_FAILED');
        // All 256 one-byte tags fail.
        for (let b = 0; b < 256; b++)
          await expectCode(decryptCompact(withTag(jwe, Uint8Array.of(b)), key), 'ERR_JWE_DECRYPTION_FAILED');
      }
      if (alg === 'A128GCMKW') {
        const hdr = JSON.parse(Buffer.from(h, 'base64url').toString());
        hdr.tag = e64(d64(hdr.tag).subarray(0, 15));
        const t = `${e64(Buffer.from(JSON.stringify(hdr)))}.${ek}.${iv}.${ct}.${parts(jwe)[4]}`;
        await expectCode(decryptCompact(t, key), 'ERR_JWE_DECRYPTION_FAILED');
      }
    });
  }

  it('A128CBC-HS256 with the full, untruncated 32-byte HMAC as tag fails', async () => {
    const cek = new Uint8Array(randomBytes(32));
    const key = await importKey(cek, { alg: 'dir' });
    const jwe = await craftDir({ alg: 'dir', enc: 'A128CBC-HS256' }, cek, new TextEncoder().encode('x'));
    const [h, , iv, ct] = parts(jwe);
    const full = createHmac('sha256', cek.subarray(0, 16))
      .update(h)
      .update(d64(iv))
      .update(d64(ct))
      .update(cbcHmacAl(h.length))
      .digest();
    expect(e64(full.subarray(0, 16))).toBe(parts(jwe)[4]);
    await expectCode(decryptCompact(withTag(jwe, full), key), 'ERR_JWE_DECRYPTION_FAILED');
  });
});

describe('swapped parts and CEK-length confusion (A27)', () => {
  it('a ciphertext, IV, tag or encrypted key swapped in from another token fails fast with the one error', async () => {
    const key = await generateSecret('A256KW');
    const a = parts(await encryptCompact('first message', { alg: 'A256KW', enc: 'A256GCM' }, key));
    const b = parts(await encryptCompact('other message', { alg: 'A256KW', enc: 'A256GCM' }, key));
    for (const i of [1, 2, 3, 4]) {
      const mixed = a.map((p, j) => (j === i ? b[j] : p)).join('.');
      const { ms, grew, result } = await measure(() => decryptCompact(mixed, key));
      console.info(`swapped part ${i}: ${ms.toFixed(2)} ms`);
      expect((result as { code?: string }).code).toBe('ERR_JWE_DECRYPTION_FAILED');
      expect(ms).toBeLessThan(1000);
      expect(grew).toBeLessThan(8 * MB);
    }
  });

  it('a 16-byte CEK wrapped for A256GCM or A128CBC-HS256 is the one decryption failure', async () => {
    const kek = new Uint8Array(randomBytes(16));
    const key = await importKey(kek, { alg: 'A128KW' });
    const wrapped = await jwe.aesKeyWrap(kek, new Uint8Array(randomBytes(16)));
    for (const enc of ['A256GCM', 'A128CBC-HS256']) {
      const h = e64(Buffer.from(JSON.stringify({ alg: 'A128KW', enc })));
      const iv = e64(randomBytes(enc === 'A256GCM' ? 12 : 16));
      const t = `${h}.${e64(wrapped)}.${iv}.${e64(randomBytes(16))}.${e64(randomBytes(enc === 'A256GCM' ? 16 : 16))}`;
      await expectCode(decryptCompact(t, key), 'ERR_JWE_DECRYPTION_FAILED');
    }
  });

  it('a 16-byte dir key used with enc A256GCM is the one decryption failure on decrypt, a key error on encrypt', async () => {
    const k16 = await generateSecret('A128GCM');
    const t = await craftDir({ alg: 'dir', enc: 'A256GCM' }, new Uint8Array(32), new Uint8Array(1));
    await expectCode(decryptCompact(t, k16), 'ERR_JWE_DECRYPTION_FAILED');
    await expectCode(encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, k16), 'ERR_KEY_INVALID');
  });
});

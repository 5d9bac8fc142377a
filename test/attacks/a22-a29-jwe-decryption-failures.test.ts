/**
 * A22-A29 and G4: JWE. The per-class suites are test/jwe/hostile-crypto.test.ts (A22-A25, A27),
 * test/jwe/hostile-limits.test.ts (A26, A28, A29) and test/jwe/decrypt.test.ts (A27, A33, A35). This suite
 * adds the global view: every decryption failure, whatever its cause and whichever entry point (decryptCompact,
 * decryptJson, decryptJwt), is one code, one message, one JSON form, no cause, and no key, CEK, tag, password or
 * plaintext in any form (G4, A52); results are never views into node's shared Buffer pool; the work limits hold on
 * the JWT layer too.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createHmac } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { JotError } from '../../src/errors.js';
import { generateKeyPair, importKey, type Key } from '../../src/index.js';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { decryptJwt } from '../../src/jwt/index.js';
import { cbcHmacAl, encryptContent } from '../../src/jwe/content.js';
import { CONTENT_ENCRYPTION_ALGORITHMS } from '../../src/alg/jwe.js';
import { expectJotError, fromB64u, jsonB64u, sameFailure, type Secret, toB64u, utf8 } from '../helpers/index.js';

const PLAINTEXT = '{"sub":"admin","card":"4111-1111-1111-1111-PLAINTEXT"}';
const parts = (t: string) => t.split('.') as [string, string, string, string, string];
const join = (p: string[]) => p.join('.');
const flip = (s: string, i = 0) => {
  const b = fromB64u(s);
  if (b.length > 0) b[i % b.length]! ^= 1;
  return toB64u(b);
};
/** The flattened JSON form of a compact JWE. */
const flat = (t: string) => {
  const [p, ek, iv, ciphertext, tag] = parts(t);
  return { protected: p, ...(ek === '' ? {} : { encrypted_key: ek }), iv, ciphertext, tag };
};
/** A compact `dir` JWE whose header is given verbatim and whose content is encrypted as is (no zip step). */
async function craft(header: object, cek: Uint8Array, content: Uint8Array): Promise<string> {
  const p = jsonB64u(header);
  const enc = CONTENT_ENCRYPTION_ALGORITHMS[(header as { enc: string }).enc]!;
  const s = await encryptContent(enc, cek, content, utf8(p));
  return `${p}..${toB64u(s.iv)}.${toB64u(s.ciphertext)}.${toB64u(s.tag)}`;
}

/** An A128CBC-HS256 `dir` JWE with a correct tag over `plain` encrypted without padding (so the padding is bad). */
function authenticCbc(cek: Uint8Array, plain: Uint8Array): string {
  const p = jsonB64u({ alg: 'dir', enc: 'A128CBC-HS256' });
  const iv = new Uint8Array(16);
  const c = createCipheriv('aes-128-cbc', cek.subarray(16), iv).setAutoPadding(false);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  const aad = utf8(p);
  const mac = createHmac('sha256', cek.subarray(0, 16)).update(aad).update(iv).update(ct).update(cbcHmacAl(aad.length));
  return `${p}..${toB64u(iv)}.${toB64u(ct)}.${toB64u(mac.digest().subarray(0, 16))}`;
}

interface Failure {
  name: string;
  token: string;
  key: Key;
  options?: Record<string, unknown>;
}

describe('G4: one error for every decryption failure, on every entry point, with nothing secret in it', () => {
  it('tags, ciphertexts, IVs, keys, CEK lengths, passwords, key agreement, RSA-OAEP, inflation', async () => {
    const dirBytes = new Uint8Array(32).fill(0xd1);
    const kwBytes = new Uint8Array(16).fill(0x4b);
    const password = utf8('correct horse battery staple');
    const dir = await importKey(dirBytes, { alg: 'dir' });
    const kw = await importKey(kwBytes, { alg: 'A128KW' });
    const gcmkw = await importKey(kwBytes, { alg: 'A128GCMKW' });
    const pw = await importKey(password, { alg: 'PBES2-HS256+A128KW' });
    const ecdh = await generateKeyPair('ECDH-ES+A128KW');
    const otherEcdh = await generateKeyPair('ECDH-ES+A128KW');
    const x25519 = await generateKeyPair('ECDH-ES', { crv: 'X25519' });
    const oaep = await generateKeyPair('RSA-OAEP-256');
    const otherOaep = await generateKeyPair('RSA-OAEP-256');
    const secrets: Secret[] = [dirBytes, kwBytes, password, PLAINTEXT, 'correct horse', '4111-1111-1111-1111'];
    const failures: Failure[] = [];
    const add = (name: string, token: string, key: Key, options?: Record<string, unknown>) =>
      failures.push({ name, token, key, ...(options === undefined ? {} : { options }) });

    for (const enc of ['A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']) {
      const cek = enc === 'A256CBC-HS512' ? new Uint8Array(64).fill(2) : dirBytes;
      const key = enc === 'A256CBC-HS512' ? await importKey(cek, { alg: 'dir' }) : dir;
      const t = await encryptCompact(PLAINTEXT, { alg: 'dir', enc }, key);
      const [h, ek, iv, ct, tag] = parts(t);
      secrets.push(cek, fromB64u(tag));
      add(`${enc} tag bit`, join([h, ek, iv, ct, flip(tag)]), key);
      add(`${enc} ciphertext bit`, join([h, ek, iv, flip(ct, 5), tag]), key);
      add(`${enc} iv bit`, join([h, ek, flip(iv), ct, tag]), key);
      // Truncated to a prefix, as GCM truncates tags.
      add(`${enc} tag truncated`, join([h, ek, iv, ct, toB64u(fromB64u(tag).subarray(0, -1))]), key);
      add(`${enc} tag extended`, join([h, ek, iv, ct, toB64u(Buffer.concat([fromB64u(tag), Buffer.from([0])]))]), key);
      add(`${enc} empty tag`, join([h, ek, iv, ct, '']), key);
      add(`${enc} empty ciphertext`, join([h, ek, iv, '', tag]), key);
    }
    // Bad padding and a corrupt deflate stream behind valid tags.
    for (const block of [
      new Uint8Array(16),
      new Uint8Array(16).fill(0x11),
      Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 2 : 9)),
    ]) {
      add('CBC: bad padding behind a valid tag', authenticCbc(dirBytes, block), dir);
    }
    const zipped = await craft({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, dirBytes, Uint8Array.of(0xff, 0xff, 0xff));
    add('corrupt deflate stream', zipped, dir, { allowZip: true });
    // Another key of the right kind, and unwrapping failures.
    add(
      'dir: another key',
      await encryptCompact(
        PLAINTEXT,
        { alg: 'dir', enc: 'A256GCM' },
        await importKey(new Uint8Array(32).fill(9), { alg: 'dir' }),
      ),
      dir,
    );
    const wrapped = await encryptCompact(PLAINTEXT, { alg: 'A128KW', enc: 'A128GCM' }, kw);
    add('A128KW: another KEK', wrapped, await importKey(new Uint8Array(16).fill(1), { alg: 'A128KW' }));
    const [wh, wek, wiv, wct, wtag] = parts(wrapped);
    add('A128KW: encrypted key bit', join([wh, flip(wek), wiv, wct, wtag]), kw);
    const cek16 = await encryptCompact(PLAINTEXT, { alg: 'A128KW', enc: 'A128GCM' }, kw);
    const [, ek16] = parts(cek16);
    const as256 = await encryptCompact(PLAINTEXT, { alg: 'A128KW', enc: 'A256GCM' }, kw);
    const [h256, , iv256, ct256, tag256] = parts(as256);
    add('A128KW: a 16-byte CEK for A256GCM', join([h256, ek16, iv256, ct256, tag256]), kw);
    const g = await encryptCompact(PLAINTEXT, { alg: 'A128GCMKW', enc: 'A128GCM' }, gcmkw);
    const gh = JSON.parse(Buffer.from(parts(g)[0], 'base64url').toString());
    for (const kwTag of [flip(gh.tag), toB64u(fromB64u(gh.tag).subarray(1))]) {
      // The header changes, so the content tag fails too: both paths give the same error.
      add('A128GCMKW: header tag', join([jsonB64u({ ...gh, tag: kwTag }), ...parts(g).slice(1)]), gcmkw);
    }
    add(
      'PBES2: wrong password',
      await encryptCompact(
        PLAINTEXT,
        { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 },
        await importKey(utf8('Tr0ub4dor&3 wrong'), { alg: 'PBES2-HS256+A128KW' }),
      ),
      pw,
      { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] },
    );
    const e = await encryptCompact(PLAINTEXT, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }, ecdh.publicKey);
    add('ECDH-ES+A128KW: another recipient key', e, otherEcdh.privateKey, {
      keyManagementAlgorithms: ['ECDH-ES+A128KW'],
    });
    const x = await encryptCompact(PLAINTEXT, { alg: 'ECDH-ES', enc: 'A128GCM' }, x25519.publicKey);
    const xh = JSON.parse(Buffer.from(parts(x)[0], 'base64url').toString());
    const smallOrder = jsonB64u({ ...xh, epk: { kty: 'OKP', crv: 'X25519', x: toB64u(new Uint8Array(32)) } });
    add('ECDH-ES: small-order X25519 epk', join([smallOrder, ...parts(x).slice(1)]), x25519.privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
    });
    const o = await encryptCompact(PLAINTEXT, { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, oaep.publicKey);
    const [oh, oek, oiv, oct, otag] = parts(o);
    const km = { keyManagementAlgorithms: ['RSA-OAEP-256'] };
    add('RSA-OAEP: another private key', o, otherOaep.privateKey, km);
    add('RSA-OAEP: encrypted key bit', join([oh, flip(oek), oiv, oct, otag]), oaep.privateKey, km);
    add(
      'RSA-OAEP: 255-byte encrypted key',
      join([oh, toB64u(fromB64u(oek).subarray(1)), oiv, oct, otag]),
      oaep.privateKey,
      km,
    );
    add(
      'RSA-OAEP: 00 prepended',
      join([oh, toB64u(Buffer.concat([Buffer.alloc(1), fromB64u(oek)])), oiv, oct, otag]),
      oaep.privateKey,
      km,
    );

    const errors: JotError[] = [];
    for (const f of failures) {
      const calls: [string, () => Promise<unknown>][] = [
        ['decryptCompact', () => decryptCompact(f.token, f.key, f.options)],
        ['decryptJson', () => decryptJson(flat(f.token), f.key, f.options)],
        ['decryptJwt', () => decryptJwt(f.token, f.key, f.options)],
      ];
      for (const [entry, call] of calls) {
        try {
          errors.push(await expectJotError(call, 'ERR_JWE_DECRYPTION_FAILED', { secrets: [...secrets, f.token] }));
        } catch (x) {
          throw new Error(`${f.name} via ${entry}: ${(x as Error).message}`);
        }
      }
    }
    expect(errors.length).toBe(failures.length * 3);
    sameFailure(errors);
    expect(errors[0]!.toJSON()).toEqual({
      name: 'JotError',
      code: 'ERR_JWE_DECRYPTION_FAILED',
      message: 'decryption failed',
    });
  });
});

describe('A52: no plaintext in errors about authentic plaintext; results hold only their own bytes', () => {
  it('decryptJwt of authentic plaintext that is no claims set: the text stays out of message and cause', async () => {
    const key = await importKey(new Uint8Array(32).fill(5), { alg: 'dir' });
    const plaintexts = [
      '{"sub":SECRET-PLAINTEXT-VALUE}',
      'SECRET-PLAINTEXT-VALUE and more',
      '["SECRET-PLAINTEXT-VALUE"]',
      '{"a":"SECRET-PLAINTEXT-VALUE","a":1}',
      '"SECRET-PLAINTEXT-VALUE"',
    ];
    for (const pt of plaintexts) {
      const t = await encryptCompact(pt, { alg: 'dir', enc: 'A256GCM' }, key);
      // V8's SyntaxError quotes about ten characters around the error: 'SECRET' is what it would show.
      await expectJotError(decryptJwt(t, key), 'ERR_JWT_INVALID', { secrets: ['SECRET', t] });
    }
  });

  it("plaintext and aad are Uint8Arrays with their own ArrayBuffer, never node's shared pool", async () => {
    const kekBytes = new Uint8Array(16).fill(0x42);
    const kek = await importKey(kekBytes, { alg: 'A128KW' });
    const dirBytes = new Uint8Array(32).fill(0x43);
    const dir = await importKey(dirBytes, { alg: 'dir' });
    const compact = await decryptCompact(await encryptCompact('hello', { alg: 'A128KW', enc: 'A128GCM' }, kek), kek);
    const general = await encryptJson('hi', {
      protectedHeader: { enc: 'A256GCM' },
      aad: utf8('aad'),
      recipients: [{ key: dir, header: { alg: 'dir' } }],
    });
    const zipped = await encryptCompact('zip '.repeat(50), { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, dir);
    const results = [
      compact.plaintext,
      (await decryptJson(general, dir)).plaintext,
      (await decryptJson(general, dir)).aad!,
    ];
    results.push((await decryptCompact(zipped, dir, { allowZip: true })).plaintext);
    for (const bytes of results) {
      expect(bytes.constructor).toBe(Uint8Array);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      const all = Buffer.from(bytes.buffer);
      expect(all.includes(Buffer.from(kekBytes)) || all.includes(Buffer.from(dirBytes))).toBe(false);
    }
  });
});

describe('A22, A23, A28, A29 on the JWT layer and the JSON serialization', () => {
  it('A22: an off-curve or foreign epk is ERR_JWE_INVALID through decryptJwt and decryptJson', async () => {
    const r = await generateKeyPair('ECDH-ES+A128KW');
    const t = await encryptCompact(PLAINTEXT, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }, r.publicKey);
    const h = JSON.parse(Buffer.from(parts(t)[0], 'base64url').toString());
    const y = fromB64u(h.epk.y);
    y[31]! ^= 1;
    const km = { keyManagementAlgorithms: ['ECDH-ES+A128KW'] };
    for (const epk of [
      { ...h.epk, y: toB64u(y) },
      { kty: 'OKP', crv: 'X25519', x: h.epk.x },
      { ...h.epk, crv: 'P-384' },
    ]) {
      const bad = join([jsonB64u({ ...h, epk }), ...parts(t).slice(1)]);
      await expectJotError(decryptJwt(bad, r.privateKey, km), 'ERR_JWE_INVALID');
      await expectJotError(decryptJson(flat(bad), r.privateKey, km), 'ERR_JWE_INVALID');
    }
  });

  it('A23: RSA1_5 is not allowed unless listed, and never decrypts (one error whatever the padding)', async () => {
    const r = await generateKeyPair('RSA1_5');
    const t = await encryptCompact(PLAINTEXT, { alg: 'RSA1_5', enc: 'A128GCM' }, r.publicKey);
    await expectJotError(decryptCompact(t, r.privateKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectJotError(decryptJwt(t, r.privateKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
    const [h, ek, iv, ct, tag] = parts(t);
    const variants = [t, join([h, flip(ek), iv, ct, tag]), join([h, toB64u(new Uint8Array(256)), iv, ct, tag])];
    const errors: JotError[] = [];
    for (const v of variants) {
      errors.push(
        await expectJotError(
          decryptCompact(v, r.privateKey, { keyManagementAlgorithms: ['RSA1_5'] }),
          'ERR_JOSE_NOT_SUPPORTED',
        ),
      );
    }
    sameFailure(errors);
  });

  it('A28: the billion-hash header is refused before any PBKDF2 work through decryptJwt and decryptJson', async () => {
    const talk =
      'eyJhbGciOiJQQkVTMi1IUzUxMitBMjU2S1ciLCJwMnMiOiJBQUFBQUFBQUFBQUFBQUFBQUFBQUFBIiwicDJjIjoyMTQ3NDgz' +
      'NjQ3LCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0';
    const token = `${talk}.AAAA.AAAA.AAAA.AAAA`;
    const pw = await importKey(utf8('password'));
    const allowed = { keyManagementAlgorithms: ['PBES2-HS512+A256KW'] };
    for (const call of [() => decryptJwt(token, pw, allowed), () => decryptJson(flat(token), pw, allowed)]) {
      const t0 = performance.now();
      await expectJotError(call, 'ERR_LIMIT_EXCEEDED');
      expect(performance.now() - t0).toBeLessThan(50);
    }
    await expectJotError(decryptJwt(token, pw, { keyManagementAlgorithms: ['A256KW'] }), [
      'ERR_LIMIT_EXCEEDED',
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    const bound = await importKey(utf8('password'), { alg: 'PBES2-HS512+A256KW' });
    await expectJotError(decryptJwt(token, bound), ['ERR_LIMIT_EXCEEDED', 'ERR_JOSE_ALG_NOT_ALLOWED']);
  });

  it('A29: zip is refused unless enabled, and a bomb stops at the limit, through decryptJwt', async () => {
    const key = await importKey(new Uint8Array(32).fill(6), { alg: 'dir' });
    const bomb = await craft(
      { alg: 'dir', enc: 'A256GCM', zip: 'DEF' },
      new Uint8Array(32).fill(6),
      deflateRawSync(`{"u":"${'u'.repeat(5_000_000)}"}`),
    );
    await expectJotError(decryptJwt(bomb, key), 'ERR_JOSE_NOT_SUPPORTED');
    const before = process.memoryUsage();
    const t0 = performance.now();
    await expectJotError(decryptJwt(bomb, key, { allowZip: true }), 'ERR_LIMIT_EXCEEDED');
    expect(performance.now() - t0).toBeLessThan(1000);
    const after = process.memoryUsage();
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
  });
});

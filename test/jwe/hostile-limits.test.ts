// Work and size limits: decompression bombs (A29), the PBES2 billion-hash attack (A28), token size and
// structure (A40, A42), and the CBC-HMAC AL encoding (A26). Each hostile case asserts the code, a time bound
// and, where memory is the attack, a loose bound on heap growth.
import { deflateRawSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { cbcHmacAl } from '../../src/jwe/content.js';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { craftDir, expectCode, measure, rejection, text, toHex } from '../helpers/index.js';

const MB = 1024 * 1024;

describe('A29 decompression bomb', () => {
  let key: Key;
  let cek: Uint8Array;
  let bomb: string;
  beforeAll(async () => {
    cek = new Uint8Array(32).fill(7);
    key = await importKey(cek, { alg: 'dir' });
    const plaintext = `{"u":"${'u'.repeat(50_000_000)}"}`; // ~50 MB
    bomb = await encryptCompact(plaintext, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, key);
  }, 60_000);

  it('~50 MB of "u" stops at maxDecompressedBytes while inflating: ERR_LIMIT_EXCEEDED, fast, small heap', async () => {
    expect(bomb.length).toBeLessThan(100_000); // about 50 KB compressed, 65 KB of base64url
    const { ms, grew, result } = await measure(() => decryptCompact(bomb, key, { allowZip: true }));
    expect((result as { code?: string }).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(ms).toBeLessThan(1000);
    expect(grew).toBeLessThan(16 * MB);
    console.info(`zip bomb: ${ms.toFixed(1)} ms, heap+buffers ${(grew / MB).toFixed(2)} MB`);
  });

  it('is refused before decryption unless allowZip is set', async () => {
    await expectCode(decryptCompact(bomb, key), 'ERR_JOSE_NOT_SUPPORTED');
  });

  it('exactly at the limit inflates; one byte more does not', async () => {
    const at = 'a'.repeat(1000);
    const ok = await craftDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, cek, deflateRawSync(at));
    expect(text((await decryptCompact(ok, key, { allowZip: true, maxDecompressedBytes: 1000 })).plaintext)).toBe(at);
    const over = await craftDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, cek, deflateRawSync(`${at}a`));
    await expectCode(decryptCompact(over, key, { allowZip: true, maxDecompressedBytes: 1000 }), 'ERR_LIMIT_EXCEEDED');
  });

  it('zip values other than "DEF" are malformed; zip outside the protected header is invalid', async () => {
    for (const zip of ['GZIP', 'def', '', 1, null]) {
      const jwe = await craftDir({ alg: 'dir', enc: 'A256GCM', zip }, cek, gzipSync('x'));
      await expectCode(decryptCompact(jwe, key, { allowZip: true }), 'ERR_JWE_INVALID');
    }
    const json = await encryptJson('x', { protectedHeader: { alg: 'dir', enc: 'A256GCM' }, recipients: [{ key }] });
    await expectCode(decryptJson({ ...json, unprotected: { zip: 'DEF' } }, key, { allowZip: true }), 'ERR_JWE_INVALID');
    await expectCode(
      encryptJson('x', {
        protectedHeader: { enc: 'A256GCM' },
        unprotectedHeader: { zip: 'DEF' },
        recipients: [{ key }],
      }),
      ['ERR_JWE_INVALID'],
    );
  });

  it('a corrupt or truncated deflate stream behind a valid tag is the one decryption failure', async () => {
    const good = deflateRawSync('hello hello hello');
    for (const stream of [new Uint8Array([0xff, 0xff, 0xff, 0xff]), good.subarray(0, good.length - 3)]) {
      const jwe = await craftDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, cek, stream);
      await expectCode(decryptCompact(jwe, key, { allowZip: true }), 'ERR_JWE_DECRYPTION_FAILED');
    }
  });

  it('a nested bomb (the plaintext is itself a zipped JWE) is inflated once, never recursively', async () => {
    const inner = await craftDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, cek, deflateRawSync('u'.repeat(1e6)));
    const outer = await craftDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF', cty: 'JWT' }, cek, deflateRawSync(inner));
    expect(text((await decryptCompact(outer, key, { allowZip: true })).plaintext)).toBe(inner);
  });
});

describe('A28 PBES2 p2c (the billion-hash attack)', () => {
  const TALK =
    'eyJhbGciOiJQQkVTMi1IUzUxMitBMjU2S1ciLCJwMnMiOiJBQUFBQUFBQUFBQUFBQUFBQUFBQUFBIiwicDJjIjoyMTQ3NDgzNjQ3LCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0';
  const ALG = 'PBES2-HS512+A256KW';
  const token = (header: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.AAAA.AAAA.AAAA.AAAA`;
  let pw: Key;
  beforeAll(async () => {
    pw = await importKey(new TextEncoder().encode('password'));
  });

  it('the exact header from the talk fails with ERR_LIMIT_EXCEEDED before any PBKDF2 work, in well under 50 ms', async () => {
    for (const options of [{ keyManagementAlgorithms: [ALG] }, { keyManagementAlgorithms: ['A128KW'] }]) {
      const { ms, grew, result } = await measure(() => decryptCompact(`${TALK}.AAAA.AAAA.AAAA.AAAA`, pw, options));
      expect((result as { code?: string }).code).toBe('ERR_LIMIT_EXCEEDED'); // a work limit: checked with the format
      expect(ms).toBeLessThan(50);
      expect(grew).toBeLessThan(8 * MB);
      console.info(`p2c 2^31-1: ${ms.toFixed(2)} ms`);
    }
  });

  it('counts above maxPbes2Count are ERR_LIMIT_EXCEEDED; non-integers and non-positive counts are invalid', async () => {
    const o = { keyManagementAlgorithms: [ALG] };
    const p2s = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const p2c of [10_001, 1_200_001, 1e9, 2 ** 31, 2 ** 53]) {
      await expectCode(decryptCompact(token({ alg: ALG, enc: 'A128GCM', p2s, p2c }), pw, o), 'ERR_LIMIT_EXCEEDED');
    }
    for (const p2c of [-1, 0, 1.5, '1000', null, [1000], undefined]) {
      await expectCode(decryptCompact(token({ alg: ALG, enc: 'A128GCM', p2s, p2c }), pw, o), 'ERR_JWE_INVALID');
    }
    await expectCode(
      decryptCompact(token({ alg: ALG, enc: 'A128GCM', p2s, p2c: 20_000 }), pw, { ...o, maxPbes2Count: 19_999 }),
      ['ERR_LIMIT_EXCEEDED'],
    );
  });

  it('p2s must hold at least 8 bytes', async () => {
    for (const p2s of ['', 'AAAAAA', 'AAAAAAAAAA', undefined, 7]) {
      const t = token({ alg: ALG, enc: 'A128GCM', p2s, p2c: 1000 });
      await expectCode(decryptCompact(t, pw, { keyManagementAlgorithms: [ALG] }), 'ERR_JWE_INVALID');
    }
  });

  it('PBES2 must be listed explicitly, even with a key bound to it', async () => {
    const bound = await importKey(new TextEncoder().encode('password'), { alg: ALG });
    const jwe = await encryptCompact('x', { alg: ALG, enc: 'A128GCM', p2c: 1000 }, bound);
    await expectCode(decryptCompact(jwe, bound), 'ERR_JOSE_ALG_NOT_ALLOWED');
    expect(text((await decryptCompact(jwe, bound, { keyManagementAlgorithms: [ALG] })).plaintext)).toBe('x');
  });

  it('maxPbes2Count has a hard ceiling of 1,200,000; encryption stays within it', async () => {
    await expectCode(decryptCompact(token({}), pw, { keyManagementAlgorithms: [ALG], maxPbes2Count: 1_200_001 }), [
      'ERR_INVALID_OPTION',
    ]);
    for (const p2c of [999, 1_200_001, 1.5, '2000']) {
      await expectCode(encryptCompact('x', { alg: ALG, enc: 'A128GCM', p2c } as never, pw), 'ERR_JWE_INVALID');
    }
  });
});

describe('A40/A42 size and structure come first', () => {
  let key: Key;
  beforeAll(async () => {
    key = await generateSecret('A256KW');
  });

  it('a token over maxTokenLength is ERR_LIMIT_EXCEEDED before anything else', async () => {
    const { ms, result } = await measure(() => decryptCompact('.'.repeat(5 * MB), key));
    expect((result as { code?: string }).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(ms).toBeLessThan(100);
    await expectCode(decryptCompact(`${'A'.repeat(300)}....`, key, { maxTokenLength: 100 }), 'ERR_LIMIT_EXCEEDED');
    await expectCode(decryptJson({ aad: 'A'.repeat(300_000) } as never, key), 'ERR_LIMIT_EXCEEDED'); // A26 huge aad
  });

  it('exactly four dots, counted before splitting; no trimming', async () => {
    const jwe = await encryptCompact('x', { alg: 'A256KW', enc: 'A128GCM' }, key);
    for (const bad of [
      '',
      '.',
      '....',
      '.....',
      `${jwe}.`,
      `${jwe}.x`,
      ` ${jwe}`,
      `${jwe}\n`,
      jwe.split('.').slice(0, 3).join('.'),
      `${jwe}${'.'.repeat(1e5)}`,
    ]) {
      await expectCode(decryptCompact(bad, key), ['ERR_JWE_INVALID', 'ERR_LIMIT_EXCEEDED']);
    }
    for (const notString of [undefined, null, 123, {}, new String(jwe), new TextEncoder().encode(jwe)]) {
      await expectCode(decryptCompact(notString as never, key), 'ERR_JWE_INVALID');
    }
  });

  it('more recipients than maxRecipients is ERR_LIMIT_EXCEEDED', async () => {
    const recipients = Array.from({ length: 11 }, () => ({ encrypted_key: 'AAAA' }));
    const jwe = { protected: 'eyJlbmMiOiJBMTI4R0NNIn0', recipients, iv: 'AAAA', ciphertext: '', tag: 'AAAA' };
    await expectCode(decryptJson(jwe, key), 'ERR_LIMIT_EXCEEDED');
    await expectCode(decryptJson(jwe, key, { maxRecipients: 10 }), 'ERR_LIMIT_EXCEEDED');
  });
});

describe('A26 CBC-HMAC AL is a 64-bit big-endian bit length, never truncated to 32 bits', () => {
  it('encodes 2^29, 2^29+1, 2^61-1 bytes exactly, and refuses 2^61', async () => {
    expect(toHex(cbcHmacAl(0))).toBe('0000000000000000');
    expect(toHex(cbcHmacAl(2 ** 29))).toBe('0000000100000000');
    expect(toHex(cbcHmacAl(2 ** 29 + 1))).toBe('0000000100000008');
    expect(toHex(cbcHmacAl(2n ** 32n))).toBe('0000000800000000');
    expect(toHex(cbcHmacAl(2n ** 61n - 1n))).toBe('fffffffffffffff8');
    expect((await rejection(Promise.resolve().then(() => cbcHmacAl(2n ** 61n)))).code).toBe('ERR_LIMIT_EXCEEDED');
  });
});

describe('options', () => {
  it('unknown names and unusable values are ERR_INVALID_OPTION, before any token work', async () => {
    const key = await generateSecret('A256KW');
    const jwe = await encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, key);
    const bad: unknown[] = [
      { algorithms: ['A256KW'] },
      { keyManagementAlgorithms: [] },
      { keyManagementAlgorithms: 'A256KW' },
      { keyManagementAlgorithms: ['HS256'] },
      { contentEncryptionAlgorithms: ['A256KW'] },
      { allowZip: 'yes' },
      { maxDecompressedBytes: 0 },
      { maxTokenLength: 1.5 },
      { maxRecipients: 0 },
      { crit: ['x'] },
      { crit: { x: 1 } },
      'options',
    ];
    for (const o of bad) await expectCode(decryptCompact(jwe, key, o as never), 'ERR_INVALID_OPTION');
    await expectCode(encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, key, { zip: true } as never), [
      'ERR_INVALID_OPTION',
    ]);
    const input = { protectedHeader: { alg: 'A256KW', enc: 'A256GCM' }, recipients: [{ key }] };
    await expectCode(encryptJson('x', input, { flattened: 1 } as never), 'ERR_INVALID_OPTION');
    await expectCode(encryptJson('x', input, { compact: true } as never), 'ERR_INVALID_OPTION');
    await expectCode(encryptJson('x', { ...input, recipients: [{ key }, { key }] }, { flattened: true }), [
      'ERR_INVALID_OPTION',
    ]);
    await expectCode(encryptJson('x', { ...input, recipients: [] }), 'ERR_INVALID_OPTION');
  });
});

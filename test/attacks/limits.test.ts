/**
 * Resource bounds: every default limit (SECURITY.md, "Defaults and limits") tested at its boundary, the limit passing
 * and limit + 1 failing with ERR_LIMIT_EXCEEDED, on every entry point it guards; then the largest hostile inputs, with
 * loose bounds on time and heap growth.
 */
import { Buffer } from 'node:buffer';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importKey, type Key, signJson, verifyCompact, verifyJson } from '../../src/index.js';
import { decryptCompact, decryptJson, decryptJwt, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { createVerifier, decodeUnverified, verifyJwt, verifyUnsecuredJwt } from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import { expectJotError } from '../helpers/attack.js';
import { b64u, hsKey, json, rawHs256, utf8, verifiers } from './_fixtures.js';
import { cpuMs } from '../helpers/timing.js';

const MB = 1024 * 1024;

/** An HS256 token (or, with `none`, an unsecured one) of exactly `length` characters. */
function tokenOfLength(length: number, none = false): string {
  for (let pad = 0; pad < 4; pad++) {
    const header = JSON.stringify(
      none ? { alg: 'none', kid: 'k'.repeat(pad) } : { alg: 'HS256', kid: 'k'.repeat(pad) },
    );
    const base = none ? `${b64u(header)}.${b64u('{"x":""}')}.` : rawHs256(header, '{"x":""}');
    const fill = Math.floor(((length - base.length) * 3) / 4);
    for (let f = Math.max(0, fill - 3); f <= fill + 3; f++) {
      const p = `{"x":"${'a'.repeat(f)}"}`;
      const t = none ? `${b64u(header)}.${b64u(p)}.` : rawHs256(header, p);
      if (t.length === length) return t;
    }
  }
  throw new Error(`no token of length ${length}`);
}

/** A compact dir/A256GCM JWE of exactly `length` characters. */
async function jweOfLength(key: Key, length: number): Promise<string> {
  for (let pad = 0; pad < 4; pad++) {
    const header = { alg: 'dir', enc: 'A256GCM', kid: 'k'.repeat(pad) };
    const base = (await encryptCompact('', header, key)).length;
    const fill = Math.floor(((length - base) * 3) / 4);
    for (let f = Math.max(0, fill - 3); f <= fill + 3; f++) {
      const t = await encryptCompact('a'.repeat(f), header, key);
      if (t.length === length) return t;
    }
  }
  throw new Error(`no JWE of length ${length}`);
}

/** A JSON value nested `depth` levels deep (the outer object counts as one). */
const nested = (depth: number): string => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

async function bounded(f: () => unknown, codes: Parameters<typeof expectJotError>[1], ms = 1000, bytes = 32 * MB) {
  const before = process.memoryUsage();
  // CPU time (every thread), not wall time: the bound is on work done, whatever else the machine is doing.
  const { ms: elapsed, result } = await cpuMs(async () => {
    await expectJotError(f, codes);
    return 'refused as expected';
  });
  if (result !== 'refused as expected') throw result; // the assertion on the error code failed
  const after = process.memoryUsage();
  expect(elapsed).toBeLessThan(ms);
  expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(bytes);
}

describe('defaults at their boundaries', () => {
  it('token length: 65,536 characters for JWS and JWT (every entry point, decodeUnverified, unsecured)', async () => {
    const key = await hsKey();
    const at = tokenOfLength(65_536);
    const over = tokenOfLength(65_537);
    for (const [name, verify] of verifiers(key).filter(([n]) => n !== 'verifyJson')) {
      expect(await verify(at), name).toBeDefined();
      await expectJotError(() => verify(over), 'ERR_LIMIT_EXCEEDED');
    }
    // A JSON serialization given as an object: the limit applies to its members' combined length.
    const [h, p, sig] = at.split('.') as [string, string, string];
    expect((await verifyJson({ protected: h, payload: p, signature: sig }, key)).payload).toBeDefined();
    const [h1, p1, sig1] = tokenOfLength(65_539).split('.') as [string, string, string];
    await expectJotError(verifyJson({ protected: h1, payload: p1, signature: sig1 }, key), 'ERR_LIMIT_EXCEEDED');
    expect(decodeUnverified(at).header.alg).toBe('HS256');
    await expectJotError(() => decodeUnverified(over), 'ERR_LIMIT_EXCEEDED');
    expect(verifyUnsecuredJwt(tokenOfLength(65_536, true)).payload).toBeDefined();
    await expectJotError(() => verifyUnsecuredJwt(tokenOfLength(65_537, true)), 'ERR_LIMIT_EXCEEDED');
    // JSON serialization text, and the option's own range.
    const flat = JSON.stringify(
      await signJson('x'.repeat(48_000), [{ protectedHeader: { alg: 'HS256' }, key }], { flattened: true }),
    );
    const padded = (n: number) => `${flat.slice(0, -1)}${' '.repeat(n - flat.length)}}`;
    expect((await verifyJson(padded(65_536), key)).payload.byteLength).toBe(48_000);
    await expectJotError(verifyJson(padded(65_537), key), 'ERR_LIMIT_EXCEEDED');
    for (const maxTokenLength of [15, 16 * MB + 1, 1.5]) {
      await expectJotError(verifyCompact(at, key, { maxTokenLength }), 'ERR_INVALID_OPTION');
      await expectJotError(verifyJwt(at, key, { maxTokenLength }), 'ERR_INVALID_OPTION');
    }
    await expectJotError(verifyJwt(at, key, { maxTokenLength: 65_535 }), 'ERR_LIMIT_EXCEEDED');
  });

  it('token length: 262,144 characters for JWE, compact and JSON', async () => {
    const key = await importKey(new Uint8Array(32).fill(5), { alg: 'dir' });
    const at = await jweOfLength(key, 262_144);
    expect((await decryptCompact(at, key)).plaintext.byteLength).toBeGreaterThan(190_000);
    await expectJotError(decryptCompact(await jweOfLength(key, 262_145), key), 'ERR_LIMIT_EXCEEDED');
    const [p, , iv, ct, tag] = (await jweOfLength(key, 200_000)).split('.');
    const json = (extra: number) =>
      `{"protected":"${p}","iv":"${iv}","ciphertext":"${ct}","tag":"${tag}"${' '.repeat(extra)}}`;
    const base = json(0).length;
    expect((await decryptJson(json(262_144 - base), key)).plaintext.byteLength).toBeGreaterThan(140_000);
    await expectJotError(decryptJson(json(262_145 - base), key), 'ERR_LIMIT_EXCEEDED');
    await expectJotError(decryptJwt(await jweOfLength(key, 262_145), key), 'ERR_LIMIT_EXCEEDED');
  });

  it('JSON depth: 32 levels pass, 33 are ERR_LIMIT_EXCEEDED (headers, claims, JWE headers, key sets)', async () => {
    const key = await hsKey();
    const header = (d: number) => `{"alg":"HS256","x":${nested(d - 1)}}`;
    for (const [name, verify] of verifiers(key)) {
      expect(await verify(rawHs256(header(32), '{}')), name).toBeDefined();
      await expectJotError(() => verify(rawHs256(header(33), '{}')), 'ERR_LIMIT_EXCEEDED');
    }
    for (const [name, verify] of verifiers(key).slice(2)) {
      expect(await verify(rawHs256('{"alg":"HS256"}', nested(32))), name).toBeDefined();
      await expectJotError(() => verify(rawHs256('{"alg":"HS256"}', nested(33))), 'ERR_LIMIT_EXCEEDED');
    }
    const dir = await importKey(new Uint8Array(32).fill(5), { alg: 'dir' });
    expect(
      (await decryptJwt(await encryptCompact(nested(32), { alg: 'dir', enc: 'A256GCM' }, dir), dir)).payload,
    ).toBeDefined();
    await expectJotError(
      decryptJwt(await encryptCompact(nested(33), { alg: 'dir', enc: 'A256GCM' }, dir), dir),
      'ERR_LIMIT_EXCEEDED',
    );
    const rest = (await encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, dir)).split('.').slice(1).join('.');
    await expectJotError(
      decryptCompact(`${b64u(`{"alg":"dir","enc":"A256GCM","x":${nested(32)}}`)}.${rest}`, dir),
      'ERR_LIMIT_EXCEEDED',
    );
    const set = (d: number) => `{"keys":[],"x":${nested(d - 1)}}`;
    expect(createLocalJwkSet(set(32))).toBeTypeOf('function');
    await expectJotError(() => createLocalJwkSet(set(33)), 'ERR_LIMIT_EXCEEDED');
  });

  it('JSON serialization: 10 signatures and 10 recipients pass, 11 are ERR_LIMIT_EXCEEDED', async () => {
    const key = await hsKey();
    const other = await importKey(new Uint8Array(32).fill(9), { alg: 'HS256' });
    const jws = (n: number) =>
      signJson('x', [
        ...Array.from({ length: n - 1 }, () => ({ protectedHeader: { alg: 'HS256' }, key: other })),
        { protectedHeader: { alg: 'HS256' }, key },
      ]);
    expect((await verifyJson(await jws(10), key)).payload).toEqual(utf8('x'));
    await expectJotError(verifyJson(await jws(11), key), 'ERR_LIMIT_EXCEEDED');
    expect((await verifyJson(await jws(11), key, { maxSignatures: 11 })).payload).toEqual(utf8('x'));
    await expectJotError(verifyJson(await jws(2), key, { maxSignatures: 1001 }), 'ERR_INVALID_OPTION');
    const kek = await importKey(new Uint8Array(16).fill(1), { alg: 'A128KW' });
    const jwe = (n: number) =>
      encryptJson('x', {
        protectedHeader: { enc: 'A128GCM' },
        recipients: Array.from({ length: n }, () => ({ key: kek, header: { alg: 'A128KW' } })),
      });
    expect((await decryptJson(await jwe(10), kek)).plaintext).toEqual(utf8('x'));
    await expectJotError(decryptJson(await jwe(11), kek), 'ERR_LIMIT_EXCEEDED');
  });

  it('PBES2: p2c 10,000 passes, 10,001 is ERR_LIMIT_EXCEEDED; the option stops at 1,200,000', async () => {
    const alg = 'PBES2-HS256+A128KW';
    const pw = await importKey(utf8('correct horse battery staple'), { alg });
    const o = { keyManagementAlgorithms: [alg] };
    const at = await encryptCompact('x', { alg, enc: 'A128GCM', p2c: 10_000 }, pw);
    expect((await decryptCompact(at, pw, o)).plaintext).toEqual(utf8('x'));
    const over = await encryptCompact('x', { alg, enc: 'A128GCM', p2c: 10_001 }, pw);
    await expectJotError(decryptCompact(over, pw, o), 'ERR_LIMIT_EXCEEDED');
    expect((await decryptCompact(over, pw, { ...o, maxPbes2Count: 10_001 })).plaintext).toEqual(utf8('x'));
    await expectJotError(decryptCompact(over, pw, { ...o, maxPbes2Count: 1_200_001 }), 'ERR_INVALID_OPTION');
    expect((await decryptCompact(over, pw, { ...o, maxPbes2Count: 1_200_000 })).plaintext).toEqual(utf8('x'));
  });

  it('decompressed size: 250,000 bytes pass, 250,001 are ERR_LIMIT_EXCEEDED', async () => {
    const cek = new Uint8Array(32).fill(6);
    const key = await importKey(cek, { alg: 'dir' });
    const zipped = (n: number) => encryptCompact('a'.repeat(n), { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, key);
    expect((await decryptCompact(await zipped(250_000), key, { allowZip: true })).plaintext.byteLength).toBe(250_000);
    await expectJotError(decryptCompact(await zipped(250_001), key, { allowZip: true }), 'ERR_LIMIT_EXCEEDED');
    expect(deflateRawSync('a'.repeat(250_001)).byteLength).toBeLessThan(1000);
  });

  it('key sets: 100 keys pass, 101 are ERR_LIMIT_EXCEEDED; a 1,024-character kid is looked up, not 1,025', async () => {
    const keys = (n: number) => ({
      keys: Array.from({ length: n }, (_, i) => ({
        kty: 'oct',
        kid: `k${i}`,
        k: b64u(new Uint8Array(32).fill(i % 256)),
      })),
    });
    expect(createLocalJwkSet(keys(100))({ alg: 'HS256', kid: 'k99' }).kid).toBe('k99');
    await expectJotError(() => createLocalJwkSet(keys(101)), 'ERR_LIMIT_EXCEEDED');
    expect(createLocalJwkSet(keys(101), { maxKeys: 101 })).toBeTypeOf('function');
    const set = createLocalJwkSet(keys(1));
    await expectJotError(() => set({ alg: 'HS256', kid: 'k'.repeat(1024) }), 'ERR_JWKS_NO_MATCHING_KEY');
    await expectJotError(() => set({ alg: 'HS256', kid: 'k'.repeat(1025) }), 'ERR_LIMIT_EXCEEDED');
  });
});

describe('memory and time stay bounded on the largest hostile inputs', () => {
  it('dots, huge strings, 10,000 signatures or recipients, 100,000 keys, deep nesting, huge aad', async () => {
    const key = await hsKey();
    const dir = await importKey(new Uint8Array(32).fill(5), { alg: 'dir' });
    const dots = Buffer.alloc(5 * MB, '.').toString('latin1');
    const huge = Buffer.alloc(100 * MB, 'a').toString('latin1');
    for (const input of [dots, huge]) {
      for (const [, verify] of verifiers(key)) await bounded(() => verify(input), 'ERR_LIMIT_EXCEEDED', 1000, 4 * MB);
      await bounded(() => decryptCompact(input, dir), 'ERR_LIMIT_EXCEEDED', 1000, 4 * MB);
      await bounded(() => decryptJson(input, dir), 'ERR_LIMIT_EXCEEDED', 1000, 4 * MB);
    }
    const sig = { protected: json({ alg: 'HS256' }), signature: b64u(new Uint8Array(32)) };
    await bounded(
      () => verifyJson({ payload: 'e30', signatures: Array.from({ length: 10_000 }, () => sig) }, key),
      'ERR_LIMIT_EXCEEDED',
    );
    const jwe = await encryptJson('x', {
      protectedHeader: { enc: 'A256GCM' },
      recipients: [{ key: dir, header: { alg: 'dir' } }],
    });
    const recipients = Array.from({ length: 10_000 }, () => ({ header: { alg: 'dir' } }));
    await bounded(() => decryptJson({ ...jwe, recipients }, dir), 'ERR_LIMIT_EXCEEDED');
    const hundredThousand = { keys: Array.from({ length: 100_000 }, () => ({ kty: 'oct', k: 'AAAA' })) };
    await bounded(() => createLocalJwkSet(hundredThousand), 'ERR_LIMIT_EXCEEDED');
    await bounded(() => decryptJson({ ...jwe, aad: b64u(new Uint8Array(8 * MB)) }, dir), 'ERR_LIMIT_EXCEEDED');
    const deep = rawHs256('{"alg":"HS256"}', `${'{"a":'.repeat(7_000)}1${'}'.repeat(7_000)}`);
    expect(deep.length).toBeLessThan(65_536);
    for (const [, verify] of verifiers(key).slice(2)) await bounded(() => verify(deep), 'ERR_LIMIT_EXCEEDED');
    await bounded(() => createVerifier({ key, cache: { max: 1_000_000 } }).verify(deep), 'ERR_LIMIT_EXCEEDED');
  });
});

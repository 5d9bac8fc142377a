// createDecrypter: options compiled once, and every decrypt() answers exactly what decryptCompact answers.
import { describe, expect, it } from 'vitest';
import { JotError } from '../../src/errors.js';
import { createDecrypter, decryptCompact, encryptCompact } from '../../src/jwe/index.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { expectCode } from '../helpers/index.js';

type Outcome = { plaintext: string; header: unknown } | { code: unknown };

async function outcome(p: Promise<{ plaintext: Uint8Array; protectedHeader: unknown }>): Promise<Outcome> {
  try {
    const r = await p;
    return { plaintext: Buffer.from(r.plaintext).toString('hex'), header: r.protectedHeader };
  } catch (e) {
    return { code: (e as { code?: unknown }).code };
  }
}

/** Flips one character of segment `i` (0-based) of a compact JWE. */
function tamper(jwe: string, i: number): string {
  const parts = jwe.split('.');
  const s = parts[i]!;
  if (s.length === 0) return [...parts.slice(0, i), 'AAAA', ...parts.slice(i + 1)].join('.');
  parts[i] = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  return parts.join('.');
}

describe('createDecrypter', () => {
  it('answers every token exactly as decryptCompact does (plaintext, header or error code)', async () => {
    const dir = await generateSecret('A256GCM');
    const kw = await generateSecret('A256KW');
    const ecdh = await generateKeyPair('ECDH-ES+A256KW');
    const x25519 = await generateKeyPair('ECDH-ES', { crv: 'X25519' });
    const rsa = await generateKeyPair('RSA-OAEP-256');
    const cases: { key: Key; sender: Key; options: Record<string, unknown>; headers: Record<string, unknown>[] }[] = [
      {
        key: dir,
        sender: dir,
        options: {},
        headers: [
          { alg: 'dir', enc: 'A256GCM' },
          { alg: 'dir', enc: 'A256GCM', zip: 'DEF' },
        ],
      },
      { key: dir, sender: dir, options: { allowZip: true }, headers: [{ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }] },
      {
        key: kw,
        sender: kw,
        options: { contentEncryptionAlgorithms: ['A128GCM'] },
        headers: [
          { alg: 'A256KW', enc: 'A256GCM' },
          { alg: 'A256KW', enc: 'A128GCM' },
        ],
      },
      {
        key: ecdh.privateKey,
        sender: ecdh.publicKey,
        options: {},
        headers: [{ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', apu: 'YWxpY2U', apv: 'Ym9i' }],
      },
      { key: x25519.privateKey, sender: x25519.publicKey, options: {}, headers: [{ alg: 'ECDH-ES', enc: 'A128GCM' }] },
      { key: rsa.privateKey, sender: rsa.publicKey, options: {}, headers: [{ alg: 'RSA-OAEP-256', enc: 'A256GCM' }] },
    ];
    let compared = 0;
    for (const { key, sender, options, headers } of cases) {
      const decrypter = createDecrypter({ key, ...options });
      for (const header of headers) {
        const jwe = await encryptCompact('a secret message', header, sender);
        const tokens = [jwe, ...[0, 1, 2, 3, 4].map((i) => tamper(jwe, i)), `${jwe}.`, jwe.slice(1), ''];
        for (const token of tokens) {
          // Twice: the second call runs with the key already checked for this algorithm.
          for (let round = 0; round < 2; round++) {
            const expected = await outcome(decryptCompact(token, key, options));
            expect(await outcome(decrypter.decrypt(token))).toEqual(expected);
            compared++;
          }
        }
      }
      // A token of another key management algorithm: refused the same way.
      const other = await encryptCompact('x', { alg: 'A128KW', enc: 'A128GCM' }, await generateSecret('A128KW'));
      expect(await outcome(decrypter.decrypt(other))).toEqual(await outcome(decryptCompact(other, key, options)));
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('returns a plain Uint8Array with an ArrayBuffer of its own (never a view into node’s pool)', async () => {
    const key = await generateSecret('A256GCM');
    const decrypter = createDecrypter({ key });
    for (const alg of ['dir']) {
      const jwe = await encryptCompact('pool?', { alg, enc: 'A256GCM' }, key);
      const { plaintext } = await decrypter.decrypt(jwe);
      expect(Object.getPrototypeOf(plaintext)).toBe(Uint8Array.prototype);
      expect(plaintext.byteOffset).toBe(0);
      expect(plaintext.buffer.byteLength).toBe(plaintext.byteLength);
      expect(Buffer.from(plaintext).toString()).toBe('pool?');
    }
    const cbc = await generateSecret('A128CBC-HS256');
    const jwe = await encryptCompact('cbc', { alg: 'dir', enc: 'A128CBC-HS256' }, cbc);
    const { plaintext } = await createDecrypter({ key: cbc }).decrypt(jwe);
    expect(plaintext.buffer.byteLength).toBe(plaintext.byteLength);
  });

  it('parses a protected header once and hands it out deep-frozen, for any number of headers', async () => {
    const key = await generateSecret('A256GCM');
    const decrypter = createDecrypter({ key });
    const first = await encryptCompact('a', { alg: 'dir', enc: 'A256GCM', kid: 'k0', x: { y: 1 } } as never, key);
    const a = await decrypter.decrypt(first);
    const b = await decrypter.decrypt(first);
    expect(b.protectedHeader).toBe(a.protectedHeader);
    expect(Object.isFrozen(a.protectedHeader) && Object.isFrozen((a.protectedHeader as { x: object }).x)).toBe(true);
    expect(() => {
      (a.protectedHeader as Record<string, unknown>).alg = 'none';
    }).toThrow(TypeError);
    // More distinct headers than the memo keeps: each token still gets its own header.
    for (let i = 0; i < 40; i++) {
      const jwe = await encryptCompact(`m${i}`, { alg: 'dir', enc: 'A256GCM', kid: `k${i}` }, key);
      const r = await decrypter.decrypt(jwe);
      expect([r.protectedHeader.kid, Buffer.from(r.plaintext).toString()]).toEqual([`k${i}`, `m${i}`]);
    }
    expect((await decrypter.decrypt(first)).protectedHeader.kid).toBe('k0');
    // A remembered header does not vouch for the rest of a token.
    await expectCode(decrypter.decrypt(tamper(first, 4)), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('asks a key resolver for every token', async () => {
    const key = await generateSecret('A256KW');
    const jwe = await encryptCompact('r', { alg: 'A256KW', enc: 'A256GCM', kid: 'k1' }, key);
    const seen: unknown[] = [];
    const decrypter = createDecrypter({
      key: (header) => {
        seen.push(header.kid);
        return key;
      },
      keyManagementAlgorithms: ['A256KW'],
    });
    await decrypter.decrypt(jwe);
    await decrypter.decrypt(jwe);
    expect(seen).toEqual(['k1', 'k1']);
    await expectCode(decrypter.decrypt(tamper(jwe, 4)), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('checks its options once, when created', async () => {
    const unbound = await importKey(new Uint8Array(32));
    for (const options of [
      undefined,
      {},
      { key: unbound },
      { key: 'not a key' },
      { key: unbound, keyManagementAlgorithms: ['nope'] },
      { key: unbound, keyManagementAlgorithms: ['dir'], unknown: 1 },
      { key: unbound, keyManagementAlgorithms: ['dir'], maxTokenLength: 1 },
    ]) {
      expect(() => createDecrypter(options as never)).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^ERR_(INVALID_OPTION|KEY_INVALID)$/) }),
      );
    }
    const decrypter = createDecrypter({ key: unbound, keyManagementAlgorithms: ['dir'] });
    await expectCode(decrypter.decrypt(42 as never), 'ERR_JWE_INVALID');
  });

  // Regression (found by test/attacks/caller-values.test.ts once createDecrypter had a valid call there): the
  // allow-lists are read after the options snapshot, and createDecrypter had no boundary net, so a getter or Proxy
  // trap inside keyManagementAlgorithms escaped as the caller's own exception, a revoked Proxy as a TypeError.
  it('turns what a hostile allow-list throws into ERR_INVALID_OPTION', async () => {
    const key = await generateSecret('A256GCM');
    class Boom extends Error {}
    const boom = (): never => {
      throw new Boom('hostile');
    };
    const revocable = Proxy.revocable([], {});
    revocable.revoke();
    for (const list of [
      Object.defineProperty(['dir'], 0, { get: boom }),
      new Proxy(['dir'], { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom }),
      revocable.proxy,
    ]) {
      for (const name of ['keyManagementAlgorithms', 'contentEncryptionAlgorithms']) {
        let thrown: unknown;
        try {
          createDecrypter({ key, keyManagementAlgorithms: ['dir'], [name]: list });
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(JotError);
        expect((thrown as JotError).code).toBe('ERR_INVALID_OPTION');
      }
    }
  });
});

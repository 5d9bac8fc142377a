/**
 * A50-A56: error precedence and contents, constant-time comparison, the verified-token cache, key-set hygiene, key
 * binding across purposes, and exceptions escaping the contract. Per-module suites: test/jwt/verify-claims.test.ts
 * (A50), test/jws/constant-time.test.ts and test/jwe/hostile-crypto.test.ts (A51), test/jwt/cache.test.ts (A53),
 * test/keyset/local.test.ts (A54), test/jwe/decrypt.test.ts (A55); the long mutation fuzzing of A56 is
 * test/fuzz and scripts/fuzz.js. Check order across stages (G2) and exact names (G5) are in g2-g5-check-order-and-exact-names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { JweCryptoBackend } from '../../src/crypto/jwe-backend.js';
import { type JotErrorCode, JwtClaimError } from '../../src/errors.js';
import { exportJwk, generateKeyPair, importKey, type JWK, signCompact, verifyCompact } from '../../src/index.js';
import { decryptCompact, decryptJson, encryptCompact } from '../../src/jwe/index.js';
import { createVerifier, signJwt, verifyJwt } from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import {
  expectJotError,
  expectNoLeak,
  fromB64u,
  hmac,
  hsKey,
  jsonB64u,
  keysFor,
  rawHs256,
  SECRET,
  segments,
  toB64u,
  utf8,
  verifiers,
} from '../helpers/index.js';
import { callVerifier, WEB_CRYPTO } from '../helpers/runtime.js';

const require = createRequire(import.meta.url);

/** The lengths the JWE implementation's tag comparison saw (node: crypto.timingSafeEqual; web: a full-length loop). */
const tagCompares = vi.hoisted(() => [] as number[]);
vi.mock('#crypto/jwe', async (original) => {
  const mod = (await original()) as { jwe: JweCryptoBackend };
  const real = mod.jwe;
  const timingSafeEqual = (a: Uint8Array, b: Uint8Array) => {
    tagCompares.push(a.byteLength, b.byteLength);
    return real.timingSafeEqual(a, b);
  };
  return { ...mod, jwe: Object.freeze({ ...real, timingSafeEqual }) };
});

describe('A50: claims of a token that failed verification are never used or exposed', () => {
  it('expired + random signature: a signature error; not yet valid + disallowed alg: an alg error', async () => {
    const key = await hsKey();
    const expired = `${jsonB64u({ alg: 'HS256' })}.${jsonB64u({ sub: 'victim', exp: 1 })}.${toB64u(new Uint8Array(32).fill(7))}`;
    for (const [, verify] of verifiers(key)) {
      await expectJotError(() => verify(expired), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', { secrets: ['victim'] });
    }
    const early = rawHs256('{"alg":"HS384"}', JSON.stringify({ sub: 'victim', nbf: 4_000_000_000 }));
    for (const [, verify] of verifiers(key)) {
      await expectJotError(() => verify(early), 'ERR_JOSE_ALG_NOT_ALLOWED', { secrets: ['victim'] });
    }
  });

  it('claim errors carry verified claims, not in JSON; decodeUnverified is no verify step', async () => {
    const key = await hsKey();
    const e = (await expectJotError(
      verifyJwt(rawHs256('{"alg":"HS256"}', '{"sub":"alice","exp":1}'), key),
      'ERR_JWT_EXPIRED',
    )) as JwtClaimError;
    expect(e).toBeInstanceOf(JwtClaimError);
    expect(e.payload).toEqual({ sub: 'alice', exp: 1 });
    expect(Object.keys(e)).not.toContain('payload');
    expect(JSON.stringify(e)).not.toContain('alice');
    const direct = new JwtClaimError('ERR_JWT_EXPIRED', 'exp', 'expired', { sub: 'alice' });
    expect([direct.code, direct.claim, direct.payload.sub, JSON.stringify(direct).includes('alice')]).toEqual([
      'ERR_JWT_EXPIRED',
      'exp',
      'alice',
      false,
    ]);
    // No module on a verification path imports decodeUnverified (revocation uses it to read a token it revokes).
    const src = join(import.meta.dirname, '..', '..', 'src');
    const users: string[] = [];
    for (const dir of ['jws', 'jwe', 'jwt', 'key', 'keyset', 'crypto', 'encoding']) {
      for (const f of readdirSync(join(src, dir), { recursive: true }) as string[]) {
        if (!f.endsWith('.ts')) continue;
        if (readFileSync(join(src, dir, f), 'utf8').includes('decodeUnverified')) users.push(`${dir}/${f}`);
      }
    }
    expect(users.sort()).toEqual(['jwt/decode.ts', 'jwt/index.ts']);
  });
});

describe('A51: MACs and tags are compared in constant time', () => {
  it('crypto.timingSafeEqual on full-length buffers for HS* and CBC-HMAC; never Buffer#equals', async () => {
    const crypto = require('node:crypto') as { timingSafeEqual: (a: Uint8Array, b: Uint8Array) => boolean };
    const original = crypto.timingSafeEqual;
    const equals = Buffer.prototype.equals;
    const lengths: number[] = [];
    let equalsCalls = 0;
    crypto.timingSafeEqual = (a, b) => {
      lengths.push(a.byteLength, b.byteLength);
      return original(a, b);
    };
    Buffer.prototype.equals = function (this: Buffer, other: Uint8Array) {
      equalsCalls++;
      return equals.call(this, other);
    };
    syncBuiltinESMExports();
    // WebCrypto checks an HMAC inside subtle.verify (the platform's comparison): watch the MACs it is given.
    const subtle = globalThis.crypto.subtle;
    const originalVerify = subtle.verify;
    const hmacVerified: number[] = [];
    subtle.verify = function (this: SubtleCrypto, ...a: Parameters<SubtleCrypto['verify']>) {
      const [algorithm, , signature] = a;
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (name === 'HMAC') hmacVerified.push((signature as ArrayBufferView).byteLength);
      return originalVerify.apply(this, a);
    } as SubtleCrypto['verify'];
    tagCompares.length = 0;
    try {
      const key = await hsKey();
      const token = await signJwt({ sub: 'u' }, key);
      const [h, p, s] = segments(token);
      const wrong = fromB64u(s);
      wrong[0]! ^= 1; // differs in byte 0 only
      const late = fromB64u(s);
      late[31]! ^= 1; // and in byte 31 only
      for (const t of [token, `${h}.${p}.${toB64u(wrong)}`, `${h}.${p}.${toB64u(late)}`]) {
        for (const [, verify] of verifiers(key)) await verify(t).catch(() => undefined);
      }
      const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
      const jwe = await encryptCompact('x', { alg: 'dir', enc: 'A128CBC-HS256' }, dir);
      const parts = jwe.split('.');
      const tag = fromB64u(parts[4]!);
      tag[15]! ^= 1;
      await decryptCompact(jwe, dir);
      await expectJotError(
        decryptCompact([...parts.slice(0, 4), toB64u(tag)].join('.'), dir),
        'ERR_JWE_DECRYPTION_FAILED',
      );
    } finally {
      subtle.verify = originalVerify;
      crypto.timingSafeEqual = original;
      Buffer.prototype.equals = equals;
      syncBuiltinESMExports();
    }
    // Both CBC-HMAC tags (16 bytes) went through the implementation's constant-time comparison, in full.
    expect(tagCompares).toEqual([16, 16, 16, 16]);
    if (WEB_CRYPTO) {
      expect(hmacVerified.length).toBeGreaterThanOrEqual(3 * 6);
      expect(new Set(hmacVerified)).toEqual(new Set([32]));
    } else {
      expect(lengths.length).toBeGreaterThanOrEqual(2 * (3 * 6 + 2));
      expect(new Set(lengths)).toEqual(new Set([32, 16]));
    }
    expect(equalsCalls).toBe(0);
  });
});

describe('A52: no expected MAC or tag, key, CEK, password or plaintext in any error', () => {
  it('wrong HS256 and RS256 signatures, a wrong JWE tag, a PBES2 JWE under the wrong password', async () => {
    const key = await hsKey();
    const input = `${jsonB64u({ alg: 'HS256' })}.${jsonB64u({ sub: 'u' })}`;
    const expectedMac = hmac('sha256', SECRET, input);
    const bad = `${input}.${toB64u(new Uint8Array(32))}`;
    for (const [, verify] of verifiers(key)) {
      await expectJotError(() => verify(bad), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', {
        secrets: [expectedMac, SECRET],
      });
    }
    const rs = await keysFor('RS256');
    const good = await signCompact('{"sub":"u"}', { alg: 'RS256' }, rs.privateKey);
    const [h, p, s] = segments(good);
    const sig = fromB64u(s);
    sig[100]! ^= 1;
    const priv = await exportJwk(rs.privateKey, { includePrivate: true });
    const rsSecrets = [fromB64u(s), ...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => fromB64u(priv[m] as string))];
    for (const [, verify] of verifiers(rs.publicKey)) {
      await expectJotError(() => verify(`${h}.${p}.${toB64u(sig)}`), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', {
        secrets: rsSecrets,
      });
    }
    const password = 'correct horse battery staple';
    const pbes2 = await importKey(utf8(password), { alg: 'PBES2-HS256+A128KW' });
    const wrongPassword = await importKey(utf8('Tr0ub4dor&3 is wrong'), { alg: 'PBES2-HS256+A128KW' });
    const plaintext = 'THE-PLAINTEXT-OF-THE-TOKEN';
    const jwe = await encryptCompact(plaintext, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }, pbes2);
    const o = { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] };
    await expectJotError(decryptCompact(jwe, wrongPassword, o), 'ERR_JWE_DECRYPTION_FAILED', {
      secrets: [password, 'Tr0ub4dor&3', plaintext],
    });
    const parts = jwe.split('.');
    const tag = fromB64u(parts[4]!);
    tag[0]! ^= 1;
    const e = await expectJotError(
      decryptCompact([...parts.slice(0, 4), toB64u(tag)].join('.'), pbes2, o),
      'ERR_JWE_DECRYPTION_FAILED',
      {
        secrets: [fromB64u(parts[4]!), password, plaintext],
      },
    );
    expect(e.toJSON()).toEqual({ name: 'JotError', code: 'ERR_JWE_DECRYPTION_FAILED', message: 'decryption failed' });
    expectNoLeak(e, [jwe]);
  });
});

describe('A53: the verified-token cache', () => {
  it('tokens never share an entry; failures are never cached; each verifier has its cache and audience', async () => {
    const key = await hsKey();
    const verifier = createVerifier({ key, cache: { max: 16 }, allowAnyAudience: true });
    const alice = await signJwt({ sub: 'alice' }, key);
    const bob = await signJwt({ sub: 'bob' }, key);
    expect((await verifier.verify(alice)).payload.sub).toBe('alice');
    expect((await verifier.verify(bob)).payload.sub).toBe('bob');
    expect((await callVerifier(verifier, 'verifySync', alice)).payload.sub).toBe('alice');
    const [h, p, s] = segments(alice);
    const forged = `${h}.${jsonB64u({ sub: 'bob', iat: JSON.parse(Buffer.from(p, 'base64url').toString()).iat })}.${s}`;
    for (let i = 0; i < 2; i++) await expectJotError(verifier.verify(forged), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const forA = createVerifier({ key, cache: {}, audience: 'svc-a' });
    const forB = createVerifier({ key, cache: {}, audience: 'svc-b' });
    const tokenA = await signJwt({ aud: 'svc-a' }, key);
    await forA.verify(tokenA);
    await expectJotError(forB.verify(tokenA), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await expectJotError(() => callVerifier(forB, 'verifySync', tokenA), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    const otherKey = await importKey(new Uint8Array(32).fill(9), { alg: 'HS256' });
    await expectJotError(
      createVerifier({ key: otherKey, cache: {}, allowAnyAudience: true }).verify(alice),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
  });
});

describe('A54: JWKS content hazards', () => {
  it('duplicates, private keys, wrong use, ops or alg, malformed members, wrong shapes, oversized sets', async () => {
    const rsa1 = await exportJwk((await keysFor('RS256')).publicKey);
    const rsa2 = await exportJwk((await keysFor('PS256')).publicKey);
    const ec = await exportJwk((await keysFor('ES256')).publicKey);
    const { alg: _a, ...rsaUnbound } = rsa1;
    const { alg: _b, ...rsa2Unbound } = rsa2;
    const token = await signCompact('{}', { alg: 'RS256', kid: 'dup' }, (await keysFor('RS256')).privateKey);
    const set = (keys: unknown[]) => createLocalJwkSet({ keys } as never);
    const multi = set([
      { ...rsaUnbound, kid: 'dup' },
      { ...rsa2Unbound, kid: 'dup' },
    ]);
    await expectJotError(verifyCompact(token, multi, { algorithms: ['RS256'] }), 'ERR_JWKS_MULTIPLE_MATCHING_KEYS');
    // RSA and oct under one kid: the key type follows the caller's algorithm list, never a guess.
    const mixed = set([
      { ...rsaUnbound, kid: 'dup' },
      { kty: 'oct', kid: 'dup', k: toB64u(SECRET) },
    ]);
    expect((await verifyCompact(token, mixed, { algorithms: ['RS256'] })).key.kty).toBe('RSA');
    const priv = await exportJwk((await keysFor('RS256')).privateKey, { includePrivate: true });
    await expectJotError(() => set([rsa1, priv]), 'ERR_JWKS_INVALID');
    for (const excluded of [
      { ...rsaUnbound, kid: 'dup', use: 'enc' },
      { ...rsaUnbound, kid: 'dup', key_ops: ['sign'] },
    ]) {
      await expectJotError(
        verifyCompact(token, set([excluded]), { algorithms: ['RS256'] }),
        'ERR_JWKS_NO_MATCHING_KEY',
      );
    }
    const malformed: [unknown, readonly JotErrorCode[]][] = [
      [{ ...ec, alg: 'RS256' }, ['ERR_KEY_INVALID', 'ERR_JWK_INVALID']],
      [{ ...ec, x: toB64u(new Uint8Array(33)) }, ['ERR_JWK_INVALID']],
      [{ kty: 'oct', k: '' }, ['ERR_KEY_INVALID', 'ERR_JWK_INVALID']],
      [{ ...rsa1, n: toB64u(Buffer.concat([Buffer.alloc(1), fromB64u(rsa1.n!)])) }, ['ERR_JWK_INVALID']],
      [{ ...rsa1, e: 'AAEAAQ' }, ['ERR_JWK_INVALID']],
    ];
    for (const [jwk, codes] of malformed) await expectJotError(() => set([rsa2, jwk]), codes);
    for (const doc of [{ keys: {} }, {}, { keys: 'x' }, [], { keys: [1] }, '{"keys":[]', null]) {
      await expectJotError(() => createLocalJwkSet(doc as never), 'ERR_JWKS_INVALID');
    }
    const many = Array.from({ length: 100_000 }, () => ({ kty: 'oct', k: 'AAAA' }));
    const t0 = performance.now();
    await expectJotError(() => set(many), 'ERR_LIMIT_EXCEEDED');
    expect(performance.now() - t0).toBeLessThan(1000);
    const withUnknown = set([
      { kty: 'foo', kid: 'dup' },
      { ...rsaUnbound, kid: 'dup' },
    ]);
    expect((await verifyCompact(token, withUnknown, { algorithms: ['RS256'] })).key.kty).toBe('RSA');
  });
});

describe('A55: one key, one algorithm, one purpose, checked on every operation', () => {
  it('signature keys never decrypt; an unbound key serves only what the call lists', async () => {
    const rsaJwk = await exportJwk((await generateKeyPair('RS256')).privateKey, { includePrivate: true });
    const rs256 = await importKey(rsaJwk);
    const oaep = await importKey({ ...rsaJwk, alg: 'RSA-OAEP' } as JWK);
    const jwe = await encryptCompact('x', { alg: 'RSA-OAEP', enc: 'A128GCM' }, oaep);
    await expectJotError(decryptCompact(jwe, rs256), 'ERR_KEY_INVALID');
    await expectJotError(decryptCompact(jwe, rs256, { keyManagementAlgorithms: ['RSA-OAEP'] }), 'ERR_KEY_INVALID');
    const hs256 = await importKey(SECRET, { alg: 'HS256' });
    for (const alg of ['dir', 'A256KW']) {
      await expectJotError(encryptCompact('x', { alg, enc: 'A256GCM' }, hs256), 'ERR_KEY_INVALID');
      const other = await importKey(SECRET, { alg });
      const t = await encryptCompact('x', { alg, enc: 'A256GCM' }, other);
      await expectJotError(decryptCompact(t, hs256, { keyManagementAlgorithms: [alg] }), 'ERR_KEY_INVALID');
    }
    const es = await keysFor('ES256');
    await expectJotError(encryptCompact('x', { alg: 'ECDH-ES', enc: 'A128GCM' }, es.publicKey), 'ERR_KEY_INVALID');
    const unbound = await importKey(SECRET);
    const mac = await signCompact('x', { alg: 'HS256' }, unbound);
    await verifyCompact(mac, unbound, { algorithms: ['HS256'] });
    const wrapped = await encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, unbound);
    await expectJotError(decryptCompact(wrapped, unbound), 'ERR_INVALID_OPTION');
    await expectJotError(
      decryptCompact(wrapped, unbound, { keyManagementAlgorithms: ['A128KW'] }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
    expect((await decryptCompact(wrapped, unbound, { keyManagementAlgorithms: ['A256KW'] })).plaintext).toEqual(
      utf8('x'),
    );
    await expectJotError(verifyCompact(mac, unbound), 'ERR_INVALID_OPTION');
    await expectJotError(verifyJwt(mac, unbound), 'ERR_INVALID_OPTION');
  });
});

describe('A56: nothing but a JotError escapes, in bounded time', () => {
  it('non-string tokens, boxed strings, invalid UTF-8 bytes and a 100 MB string on every entry point', async () => {
    const key = await hsKey();
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const t = await signJwt({ sub: 'u' }, key);
    const huge = Buffer.alloc(100 * 1024 * 1024, 0x61).toString('latin1');
    const values: unknown[] = [
      undefined,
      null,
      123,
      {},
      [],
      new String(t),
      Uint8Array.of(0xc3, 0x28),
      Symbol('t'),
      () => t,
      huge,
    ];
    const calls: ((v: unknown) => unknown)[] = [
      ...verifiers(key).map(
        ([, verify]) =>
          (v: unknown) =>
            verify(v as string),
      ),
      (v) => decryptCompact(v as string, dir),
      (v) => decryptJson(v as string, dir),
      (v) => createLocalJwkSet(v as never),
    ];
    for (const v of values) {
      for (const call of calls) {
        const t0 = performance.now();
        await expectJotError(
          () => call(v),
          ['ERR_JWS_INVALID', 'ERR_JWT_INVALID', 'ERR_JWE_INVALID', 'ERR_JWKS_INVALID', 'ERR_LIMIT_EXCEEDED'],
        );
        expect(performance.now() - t0).toBeLessThan(1000);
      }
    }
  });
});

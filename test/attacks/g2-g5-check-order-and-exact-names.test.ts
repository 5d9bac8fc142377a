/**
 * G2 and G5 across the library. G2: checks run in order (size and format limits, then algorithm and key policy, then
 * cryptography, then claims, then revocation), so a token failing several checks always gets the earliest stage's
 * error, and no cryptography runs for a token refused before it (node:crypto is spied on). G5: `alg`, `enc`, `crv`
 * and key bindings are exact, case-sensitive names everywhere: in tokens, allow-lists, JWKs and `epk`.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { JotErrorCode } from '../../src/errors.js';
import { exportJwk, generateKeyPair, importKey, type Key, verifyCompact } from '../../src/index.js';
import { decryptCompact, encryptCompact } from '../../src/jwe/index.js';
import { createVerifier, decryptJwt, verifyJwt } from '../../src/jwt/index.js';
import {
  at,
  expectJotError,
  hsKey,
  jsonB64u,
  keysFor,
  NOW,
  rawHs256,
  SECRET,
  toB64u,
  utf8,
  verifiers,
} from '../helpers/index.js';

const require = createRequire(import.meta.url);
const CRYPTO = ['createHmac', 'verify', 'createDecipheriv', 'pbkdf2', 'privateDecrypt', 'diffieHellman'] as const;

/** Run `f` and count the node:crypto primitives it called. */
async function cryptoCalls(f: () => Promise<unknown>): Promise<number> {
  const crypto = require('node:crypto') as Record<string, (...a: unknown[]) => unknown>;
  const originals = CRYPTO.map((n) => crypto[n]!);
  let n = 0;
  CRYPTO.forEach((name, i) => {
    crypto[name] = (...a: unknown[]) => {
      n++;
      return originals[i]!(...a);
    };
  });
  syncBuiltinESMExports();
  try {
    await f();
  } finally {
    CRYPTO.forEach((name, i) => {
      crypto[name] = originals[i]!;
    });
    syncBuiltinESMExports();
  }
  return n;
}

const revoked = { isRevoked: async () => true, isRevokedSync: () => true };

describe('G2: the earliest failing stage decides the error, and nothing runs after it', () => {
  it('JWS and JWT: limits, format, algorithm, key, signature, typ, claims, revocation', async () => {
    const key = await hsKey();
    const { alg: _bound, ...unboundJwk } = await exportJwk((await keysFor('RS256')).publicKey);
    const rsa = await importKey(unboundJwk);
    const bad = toB64u(new Uint8Array(32).fill(1));
    const expired = jsonB64u({ sub: 'u', exp: 1, nbf: 4e9, aud: 'other', iss: 'evil' });
    const cases: [string, string, Key, object, JotErrorCode, boolean][] = [
      [
        'too long, none, expired',
        `${jsonB64u({ alg: 'none' })}.${expired}.${'A'.repeat(70_000)}`,
        key,
        {},
        'ERR_LIMIT_EXCEEDED',
        false,
      ],
      ['four segments, none', `${jsonB64u({ alg: 'none' })}.${expired}..`, key, {}, 'ERR_JWS_INVALID', false],
      ['none, expired', `${jsonB64u({ alg: 'none' })}.${expired}.`, key, {}, 'ERR_JOSE_ALG_NOT_ALLOWED', false],
      [
        'unknown crit, bad signature',
        `${jsonB64u({ alg: 'HS256', crit: ['x'], x: 1 })}.${expired}.${bad}`,
        key,
        {},
        'ERR_JOSE_NOT_SUPPORTED',
        false,
      ],
      [
        'alg not allowed, bad signature, expired',
        `${jsonB64u({ alg: 'HS384' })}.${expired}.${bad}`,
        key,
        {},
        'ERR_JOSE_ALG_NOT_ALLOWED',
        false,
      ],
      [
        'key of another type, expired',
        `${jsonB64u({ alg: 'HS256' })}.${expired}.${bad}`,
        rsa,
        { algorithms: ['HS256'] },
        'ERR_KEY_INVALID',
        false,
      ],
      [
        'bad signature, expired, revoked',
        `${jsonB64u({ alg: 'HS256', typ: 'x' })}.${expired}.${bad}`,
        key,
        { revocation: revoked, typ: 'at+jwt' },
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
        true,
      ],
      [
        'typ, then expired',
        rawHs256('{"alg":"HS256","typ":"JWT"}', '{"exp":1}'),
        key,
        { typ: 'at+jwt' },
        'ERR_JWT_CLAIM_VALIDATION_FAILED',
        true,
      ],
      [
        'expired, wrong issuer, revoked',
        rawHs256('{"alg":"HS256"}', '{"exp":1,"iss":"evil"}'),
        key,
        { issuer: 'good', revocation: revoked },
        'ERR_JWT_EXPIRED',
        true,
      ],
      [
        'valid, revoked',
        rawHs256('{"alg":"HS256"}', '{"sub":"u"}'),
        key,
        { revocation: revoked },
        'ERR_JWT_REVOKED',
        true,
      ],
    ];
    for (const [name, token, k, options, code, crypto] of cases) {
      for (const [entry, verify] of verifiers(k, {}, { currentDate: at(NOW), ...options }).slice(2)) {
        const n = await cryptoCalls(() =>
          expectJotError(() => verify(token), code).catch((e: Error) =>
            Promise.reject(new Error(`${name} via ${entry}: ${e.message}`)),
          ),
        );
        if (!crypto) expect(n, `${name} via ${entry}: no cryptography`).toBe(0);
      }
    }
    // The compact JWS API: same order up to the signature.
    for (const [name, token, k, options, code, crypto] of cases.slice(0, 7)) {
      const o = 'algorithms' in options ? { algorithms: ['HS256'] } : {};
      const n = await cryptoCalls(() => expectJotError(verifyCompact(token, k, o), code));
      if (!crypto) expect(n, name).toBe(0);
    }
  });

  it('JWE and encrypted JWTs: limits, format, policy, then decryption, then claims', async () => {
    const dir = await importKey(new Uint8Array(32).fill(4), { alg: 'dir' });
    const pw = await importKey(utf8('password'), { alg: 'PBES2-HS256+A128KW' });
    const { alg: _bound, ...ecJwk } = await exportJwk((await generateKeyPair('ES256')).privateKey, {
      includePrivate: true,
    });
    const unboundEc = await importKey(ecJwk);
    const good = await encryptCompact('{"exp":1}', { alg: 'dir', enc: 'A256GCM' }, dir);
    const [h, ek, iv, ct, tag] = good.split('.');
    const badTag = `${h}.${ek}.${iv}.${ct}.${toB64u(new Uint8Array(16))}`;
    const header = (o: object) => `${jsonB64u(o)}.${ek}.${iv}.${ct}.${tag}`;
    const pbes2 = await encryptCompact('x', { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }, pw);
    const [, pek, piv, pct, ptag] = pbes2.split('.');
    const p2cHeader = jsonB64u({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2s: 'AAAAAAAAAAA', p2c: 20_000 });
    const hugeP2c = `${p2cHeader}.${pek}.${piv}.${pct}.${ptag}`;
    const km = { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] };
    const cases: [string, () => Promise<unknown>, JotErrorCode, boolean][] = [
      ['too long', () => decryptCompact(`${good}${'A'.repeat(300_000)}`, dir), 'ERR_LIMIT_EXCEEDED', false],
      ['p2c over the limit, wrong password', () => decryptCompact(hugeP2c, pw, km), 'ERR_LIMIT_EXCEEDED', false],
      ['PBES2 not listed', () => decryptCompact(pbes2, pw), 'ERR_JOSE_ALG_NOT_ALLOWED', false],
      [
        'enc not allowed, bad tag',
        () => decryptCompact(badTag, dir, { contentEncryptionAlgorithms: ['A128GCM'] }),
        'ERR_JOSE_ALG_NOT_ALLOWED',
        false,
      ],
      [
        'zip not enabled, bad tag',
        () => decryptCompact(header({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }), dir),
        'ERR_JOSE_NOT_SUPPORTED',
        false,
      ],
      [
        'key of another kind',
        () => decryptCompact(good, unboundEc, { keyManagementAlgorithms: ['dir'] }),
        'ERR_KEY_INVALID',
        false,
      ],
      [
        'bad tag, expired claims',
        () => decryptJwt(badTag, dir, { currentDate: at(NOW) }),
        'ERR_JWE_DECRYPTION_FAILED',
        true,
      ],
      ['expired claims', () => decryptJwt(good, dir, { currentDate: at(NOW) }), 'ERR_JWT_EXPIRED', true],
    ];
    for (const [name, call, code, crypto] of cases) {
      const n = await cryptoCalls(() =>
        expectJotError(call, code).catch((e: Error) => Promise.reject(new Error(`${name}: ${e.message}`))),
      );
      if (!crypto) expect(n, `${name}: no cryptography`).toBe(0);
    }
  });
});

describe('G5: exact, case-sensitive algorithm, encryption and curve names', () => {
  it('in allow-lists, key bindings, JWE headers, JWKs and epk (typ, cty: media types, RFC 7515 4.1.9)', async () => {
    const key = await hsKey();
    for (const algorithms of [['hs256'], ['HS256 '], ['Hs256'], ['ＨＳ２５６']]) {
      await expectJotError(verifyCompact(rawHs256('{"alg":"HS256"}', '{}'), key, { algorithms }), 'ERR_INVALID_OPTION');
      await expectJotError(() => createVerifier({ key, algorithms }), 'ERR_INVALID_OPTION');
    }
    for (const alg of ['hs256', 'HS256 ', 'dir ', 'DIR', 'a256kw', 'Rsa-Oaep']) {
      await expectJotError(importKey(SECRET, { alg }), 'ERR_JOSE_NOT_SUPPORTED');
    }
    const dir = await importKey(new Uint8Array(32).fill(4), { alg: 'dir' });
    const good = await encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, dir);
    const rest = good.split('.').slice(1).join('.');
    for (const h of [
      { alg: 'DIR', enc: 'A256GCM' },
      { alg: 'dir', enc: 'a256gcm' },
      { alg: 'dir', enc: 'A256GCM ' },
      { alg: 'dir ', enc: 'A256GCM' },
    ]) {
      await expectJotError(decryptCompact(`${jsonB64u(h)}.${rest}`, dir), 'ERR_JWE_INVALID');
    }
    for (const [name, list] of [
      ['keyManagementAlgorithms', ['Dir']],
      ['contentEncryptionAlgorithms', ['a256gcm']],
    ] as const) {
      await expectJotError(decryptCompact(good, dir, { [name]: list }), 'ERR_INVALID_OPTION');
    }
    const ec = await exportJwk((await keysFor('ES256')).publicKey);
    for (const crv of ['p-256', 'P256', 'P-256 ', 'secp256r1']) {
      await expectJotError(importKey({ ...ec, crv }), ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JWK_INVALID']);
    }
    const r = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    const t = await encryptCompact('x', { alg: 'ECDH-ES', enc: 'A128GCM' }, r.publicKey);
    const parts = t.split('.');
    const hdr = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString());
    for (const crv of ['p-256', 'P-256 ']) {
      const bad = [jsonB64u({ ...hdr, epk: { ...hdr.epk, crv } }), ...parts.slice(1)].join('.');
      await expectJotError(decryptCompact(bad, r.privateKey), 'ERR_JWE_INVALID');
    }
    // A key bound to HS256 takes exactly "HS256": every other spelling is another algorithm.
    for (const alg of ['hs256', 'HS256\u0000', 'HS256\u200b', 'ＨＳ２５６']) {
      await expectJotError(verifyJwt(rawHs256(JSON.stringify({ alg }), '{}'), key), 'ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });
});

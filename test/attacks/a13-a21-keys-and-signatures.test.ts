/**
 * A13-A21: weak and empty secrets, ECDSA/EdDSA/RSA signature forms, weak and mismatched keys. The primitive-level
 * cases live in test/jws/signature-checks.test.ts (A15-A20, with spies on node:crypto) and test/jws/alg-policy.test.ts
 * (A13, A14, A21); here the catalogue's hostile tokens go through every verification entry point under the global
 * invariants, plus the parts those suites leave out (JWT layer, revocation and cache for A17, RSA 0/1/n-1/n).
 */
import { createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { describe, expect, it } from 'vitest';
import { exportJwk, generateSecret, importKey, type JWK, signCompact } from '../../src/index.js';
import { decryptCompact, encryptCompact } from '../../src/jwe/index.js';
import { createVerifier, signJwt, verifyJwt } from '../../src/jwt/index.js';
import { createRevocationList, memoryStore } from '../../src/revocation/index.js';
import {
  expectPayloadOf,
  expectJotError,
  fromB64u,
  hs256,
  jsonB64u,
  keysFor,
  refusedEverywhere,
  segments,
  toB64u,
  utf8,
  verifiers,
} from '../helpers/index.js';
import { LACKS_SECP256K1, unlessLacking, WEB_CRYPTO } from '../helpers/runtime.js';

const require = createRequire(import.meta.url);
const P = jsonB64u({ sub: 'admin', exp: 4_102_444_800 });
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' +
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const BAD_SIG = ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID'] as const;

const toBig = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const toBytes = (v: bigint, n: number): Uint8Array => Buffer.from(v.toString(16).padStart(n * 2, '0'), 'hex');

/** Count node:crypto `verify` calls made by `f` (the ECDSA/EdDSA/RSA primitive): structural checks come first. */
async function primitiveCalls(f: () => Promise<unknown>): Promise<number> {
  const crypto = require('node:crypto') as { verify: (...a: unknown[]) => unknown };
  const original = crypto.verify;
  let n = 0;
  crypto.verify = (...a: unknown[]) => {
    n++;
    return original(...a);
  };
  syncBuiltinESMExports();
  try {
    await f();
  } finally {
    crypto.verify = original;
    syncBuiltinESMExports();
  }
  return n;
}

describe('A13: weak HMAC secrets', () => {
  it('the jwt.io token: its 19-byte secret never binds to HS256 and never verifies', async () => {
    const secret = utf8('your-256-bit-secret');
    expect(hs256({ alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'John Doe', iat: 1516239022 }, secret)).toBe(
      JWT_IO,
    );
    await expectJotError(importKey(secret, { alg: 'HS256' }), 'ERR_KEY_INVALID', { secrets: [secret] });
    const unbound = await importKey(secret);
    await refusedEverywhere(JWT_IO, verifiers(unbound, { algorithms: ['HS256'] }), ['ERR_KEY_INVALID'], {
      secrets: [secret],
    });
  });

  it('31, 47, 63 bytes for HS256/384/512; "secret" and "password" as text; k with stray characters', async () => {
    for (const [alg, n] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      await expectJotError(importKey(new Uint8Array(n - 1).fill(1), { alg }), 'ERR_KEY_INVALID');
      await expectJotError(importKey({ kty: 'oct', k: toB64u(new Uint8Array(n - 1)), alg }), 'ERR_KEY_INVALID');
      expect((await importKey(new Uint8Array(n).fill(1), { alg })).alg).toBe(alg);
      const made = await exportJwk(await generateSecret(alg), { includePrivate: true });
      expect(fromB64u(made.k!).byteLength).toBe(n); // generateSecret: full-length CSPRNG keys
    }
    for (const text of ['secret', 'password', 'your-256-bit-secret']) {
      await expectJotError(importKey(text), 'ERR_KEY_INVALID', { secrets: text.length > 8 ? [text] : [] });
      await expectJotError(importKey(utf8(text), { alg: 'HS256' }), 'ERR_KEY_INVALID');
    }
    for (const k of ['a+b/c=', `${toB64u(new Uint8Array(32))}=`, `${toB64u(new Uint8Array(32))} `, 'AB']) {
      await expectJotError(importKey({ kty: 'oct', k }), 'ERR_JWK_INVALID');
    }
  });
});

describe('A14: a blank password (an HMAC key of length 0)', () => {
  it('never imports, for any algorithm, in any form', async () => {
    for (const alg of [undefined, 'HS256', 'dir', 'A256KW', 'PBES2-HS256+A128KW']) {
      const options = alg === undefined ? undefined : { alg };
      for (const m of [new Uint8Array(0), Buffer.alloc(0), { kty: 'oct', k: '' }, '']) {
        await expectJotError(importKey(m as JWK, options), 'ERR_KEY_INVALID');
      }
    }
    const token = hs256({ alg: 'HS256' }, { sub: 'admin' }, new Uint8Array(0));
    await refusedEverywhere(token, verifiers(await importKey(new Uint8Array(32).fill(2), { alg: 'HS256' })), BAD_SIG);
  });
});

describe('A15: psychic ECDSA signatures are refused on every entry point, before any primitive call', () => {
  it('all-zero r||s for ES256/384/512, DER zeros, r = s = n, and r or s out of range', async () => {
    const cases: [string, string[]][] = [
      ['ES256', ['A'.repeat(86), 'MAYCAQACAQA']],
      ['ES384', ['A'.repeat(128)]],
      ['ES512', ['A'.repeat(176)]],
    ];
    const n256 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
    const n = Buffer.from(n256, 'hex');
    const one = toBytes(1n, 32);
    const nMinus1 = toBytes(toBig(n) - 1n, 32);
    cases[0]![1].push(
      '_____wAAAAD__________7zm-q2nF56E87nKwvxjJVH_____AAAAAP__________vOb6racXnoTzucrC_GMlUQ',
      toB64u(Buffer.concat([new Uint8Array(32), one])),
      toB64u(Buffer.concat([one, new Uint8Array(32)])),
      toB64u(Buffer.concat([nMinus1, n])),
      toB64u(Buffer.concat([n, one])),
    );
    for (const [alg, sigs] of cases) {
      const key = (await keysFor(alg)).publicKey;
      for (const s of sigs) {
        const token = `${jsonB64u({ alg, typ: 'JWT' })}.${P}.${s}`;
        const calls = await primitiveCalls(() => refusedEverywhere(token, verifiers(key), BAD_SIG));
        expect(calls, `${alg} ${s.slice(0, 12)}`).toBe(0);
      }
    }
  });
});

describe('A16: ECDSA encodings other than fixed-size r||s', () => {
  it('DER, 63 bytes (leading zero of r dropped), 65 bytes either side, r + n as 33 bytes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = await importKey(publicKey, { alg: 'ES256' });
    const n = toBig(Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'));
    const h = jsonB64u({ alg: 'ES256' });
    let input = '';
    let raw = Buffer.alloc(0);
    for (let i = 0; ; i++) {
      input = `${h}.${jsonB64u({ sub: 'admin', i })}`;
      raw = nodeSign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      if (raw[0] === 0) break; // r starts with 0x00 (1 in 256)
    }
    const der = nodeSign('sha256', Buffer.from(input), privateKey);
    const r = raw.subarray(0, 32);
    const s = raw.subarray(32);
    const forms = [
      der,
      raw.subarray(1),
      Buffer.concat([raw, Buffer.from([0])]),
      Buffer.concat([Buffer.from([0]), raw]),
    ];
    forms.push(Buffer.concat([toBytes(toBig(r) + n, 33), s]));
    const original = `${input}.${toB64u(raw)}`;
    expectPayloadOf(await verifiers(key)[0]![1](original), original); // the original verifies
    for (const sig of forms) await refusedEverywhere(`${input}.${toB64u(sig)}`, verifiers(key), BAD_SIG);
  });
});

describe('A17: the ECDSA high-S twin (r, n - s)', () => {
  it('verifies (standard ECDSA), is cached apart, and revocation by jti still refuses it', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const token = await signJwt({ sub: 'u', jti: 'j-1' }, privateKey, { expiresIn: '1h' });
    const [h, p, s] = segments(token);
    const sig = fromB64u(s);
    const n = toBig(Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'));
    const twin = `${h}.${p}.${toB64u(Buffer.concat([sig.subarray(0, 32), toBytes(n - toBig(sig.subarray(32)), 32)]))}`;
    expect(twin).not.toBe(token);
    expect((await verifyJwt(twin, publicKey)).payload.jti).toBe('j-1');
    const revocation = createRevocationList({ store: memoryStore() });
    const cached = createVerifier({ key: publicKey, cache: { max: 8 }, revocation });
    await cached.verify(token);
    await cached.verify(twin);
    await revocation.revoke(token);
    for (const t of [token, twin]) {
      await expectJotError(cached.verify(t), 'ERR_JWT_REVOKED');
      await expectJotError(verifyJwt(t, publicKey, { revocation }), 'ERR_JWT_REVOKED');
    }
    await revocation.close();
  });
});

describe('A18: EdDSA non-canonical S, wrong lengths, small-order keys, curve ambiguity', () => {
  it('S + L, 63 and 65 bytes fail; the identity point never imports; the curve is part of the binding', async () => {
    const { privateKey, publicKey } = await keysFor('Ed25519');
    const token = await signCompact(utf8('{"sub":"admin"}'), { alg: 'Ed25519' }, privateKey);
    const [h, p, s] = segments(token);
    const sig = fromB64u(s);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const S = Buffer.from(sig.subarray(32)).reverse();
    const sPlusL = Buffer.from(toBytes(toBig(S) + L, 32)).reverse();
    const forms = [
      Buffer.concat([sig.subarray(0, 32), sPlusL]),
      sig.subarray(0, 63),
      Buffer.concat([sig, Buffer.from([0])]),
    ];
    for (const f of forms) await refusedEverywhere(`${h}.${p}.${toB64u(f)}`, verifiers(publicKey), BAD_SIG);
    const identity = { kty: 'OKP', crv: 'Ed25519', x: 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    for (const alg of [undefined, 'EdDSA', 'Ed25519']) {
      await expectJotError(importKey(alg === undefined ? identity : { ...identity, alg }), 'ERR_KEY_INVALID');
    }
    const ed448 = await keysFor('EdDSA', 'Ed448');
    const eddsa448 = await signCompact('x', { alg: 'EdDSA' }, ed448.privateKey);
    await refusedEverywhere(eddsa448, verifiers(publicKey), ['ERR_JOSE_ALG_NOT_ALLOWED']);
    const ed448Jwk = await exportJwk(ed448.publicKey);
    await expectJotError(importKey({ ...ed448Jwk, alg: 'Ed25519' }), 'ERR_KEY_INVALID');
  });
});

describe('A19/A20: RSA signature values and lengths', () => {
  it('0, 1, n - 1, n, 00 || sig, sig + n fail; only the 256-byte form (leading zero kept) is valid', async () => {
    for (const alg of ['RS256', 'PS256']) {
      const { privateKey, publicKey } = await keysFor(alg);
      const nB = fromB64u((await exportJwk(publicKey)).n!);
      const n = toBig(nB);
      let token = '';
      let sig: Uint8Array = new Uint8Array(0);
      for (let i = 0; ; i++) {
        token = await signCompact(`{"i":${i}}`, { alg }, privateKey);
        sig = fromB64u(segments(token)[2]);
        if (sig[0] === 0) break;
      }
      const [h, p] = segments(token);
      await verifiers(publicKey)[0]![1](token); // the 256-byte form with its leading zero verifies
      const forms = [0n, 1n, n - 1n, n].map((v) => toBytes(v, 256));
      forms.push(sig.subarray(1), Buffer.concat([Buffer.from([0]), sig]), toBytes(toBig(sig) + n, 257));
      for (const f of forms) await refusedEverywhere(`${h}.${p}.${toB64u(f)}`, verifiers(publicKey), BAD_SIG);
      expect(nB.byteLength).toBe(256);
    }
  });

  it('exponents 1, 2 and a non-minimal 65537 never import (e = 3: test/jws/signature-checks)', async () => {
    const jwk = (await exportJwk((await keysFor('RS256')).publicKey)) as JWK;
    for (const e of ['AQ', 'Ag', 'AAEAAQ']) {
      await expectJotError(importKey({ ...jwk, e }), ['ERR_KEY_INVALID', 'ERR_JWK_INVALID']);
    }
  });
});

describe('A21: legacy, weak or mismatched key types and sizes', () => {
  it('DSA, RSA-1024, SHA-512-only RSA-PSS, P-384/secp256k1 as ES256, X25519 as EdDSA, Ed448 as Ed25519', async () => {
    const pem = (k: { export(o: object): string | Buffer }) => k.export({ format: 'pem', type: 'spki' }) as string;
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey;
    await expectJotError(importKey(pem(dsa)), 'ERR_KEY_INVALID');
    await expectJotError(
      importKey(pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)),
      'ERR_KEY_INVALID',
    );
    const pss = generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: 'sha512',
      mgf1HashAlgorithm: 'sha512',
    });
    // WebCrypto has no id-RSASSA-PSS SubjectPublicKeyInfo: refused at import (ERR_JOSE_NOT_SUPPORTED) whatever the alg.
    const pssCode = unlessLacking(WEB_CRYPTO, 'ERR_KEY_INVALID');
    await expectJotError(importKey(pem(pss.publicKey), { alg: 'RS256' }), pssCode);
    await expectJotError(importKey(pem(pss.publicKey), { alg: 'PS256' }), pssCode);
    if (WEB_CRYPTO) await expectJotError(importKey(pem(pss.publicKey)), 'ERR_JOSE_NOT_SUPPORTED');
    else {
      const unboundPss = await importKey(pem(pss.publicKey));
      const rs256 = await signCompact(utf8('{}'), { alg: 'RS256' }, (await keysFor('RS256')).privateKey);
      await refusedEverywhere(rs256, verifiers(unboundPss, { algorithms: ['RS256'] }), ['ERR_KEY_INVALID']);
    }
    const wrongCurve = [
      ['ES256', generateKeyPairSync('ec', { namedCurve: 'secp384r1' })],
      ['ES256', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })],
      ['EdDSA', generateKeyPairSync('x25519')],
      ['Ed25519', generateKeyPairSync('ed448')],
    ] as const;
    for (const [alg, kp] of wrongCurve) {
      await expectJotError(importKey(pem(kp.publicKey), { alg }), 'ERR_KEY_INVALID');
      if (kp.publicKey.asymmetricKeyDetails?.namedCurve === 'secp256k1' && LACKS_SECP256K1) {
        await expectJotError(importKey(pem(kp.publicKey)), 'ERR_JOSE_NOT_SUPPORTED');
        continue;
      }
      const unbound = await importKey(pem(kp.publicKey));
      const token = `${jsonB64u({ alg })}.${P}.${toB64u(new Uint8Array(64).fill(1))}`;
      await refusedEverywhere(token, verifiers(unbound, { algorithms: [alg] }), ['ERR_KEY_INVALID']);
    }
  });

  it('a public key never signs or decrypts', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = await importKey(rsa.publicKey, { alg: 'RS256' });
    await expectJotError(signCompact('x', { alg: 'RS256' }, pub), 'ERR_KEY_INVALID');
    await expectJotError(signJwt({}, pub), 'ERR_KEY_INVALID');
    const oaepPublic = await importKey(rsa.publicKey, { alg: 'RSA-OAEP-256' });
    const jwe = await encryptCompact('x', { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, oaepPublic);
    await expectJotError(decryptCompact(jwe, oaepPublic), 'ERR_KEY_INVALID');
    const oaepPrivate = await importKey(createPrivateKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' })), {
      alg: 'RSA-OAEP-256',
    });
    expect((await decryptCompact(jwe, oaepPrivate)).plaintext).toEqual(new Uint8Array(utf8('x')));
  });
});

/**
 * Key binding (the `alg` option and the JWK `alg`), `use`/`key_ops` enforcement, key generation and thumbprints.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportJwk,
  generateKeyPair,
  generateSecret,
  importKey,
  type JWK,
  jwkThumbprint,
  jwkThumbprintUri,
  signCompact,
  verifyCompact,
} from '../../src/index.js';
import { expectCode, fromB64u, keysFor } from '../helpers/index.js';

const P256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }) as JWK;
const { d: _d, ...P256_PUBLIC } = P256;
const SECRET = { kty: 'oct', k: Buffer.alloc(64, 9).toString('base64url') };

describe('binding a key to one algorithm', () => {
  it('binds through the alg option or the JWK alg; a contradiction is an error', async () => {
    expect((await importKey(P256, { alg: 'ES256' })).alg).toBe('ES256');
    expect((await importKey({ ...P256, alg: 'ES256' })).alg).toBe('ES256');
    expect((await importKey({ ...P256, alg: 'ES256' }, { alg: 'ES256' })).alg).toBe('ES256');
    await expectCode(importKey({ ...P256, alg: 'ES256' }, { alg: 'ES384' }), 'ERR_INVALID_OPTION');
    expect((await importKey(P256)).alg).toBeUndefined();
  });

  it('a bound key is used with its own algorithm only, to sign and to verify', async () => {
    const secret = await importKey(SECRET, { alg: 'HS256' });
    const other = await importKey(SECRET, { alg: 'HS256' });
    await expectCode(signCompact('x', { alg: 'HS384' }, secret), 'ERR_JOSE_ALG_NOT_ALLOWED');
    const unbound = await importKey(SECRET);
    const hs384 = await signCompact('x', { alg: 'HS384' }, unbound);
    await expectCode(verifyCompact(hs384, other), 'ERR_JOSE_ALG_NOT_ALLOWED');
    // Even with an allow-list that names both, the binding wins.
    await expectCode(verifyCompact(hs384, other, { algorithms: ['HS256', 'HS384'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await verifyCompact(hs384, unbound, { algorithms: ['HS384'] });
  });

  it('binding checks that the key can serve the algorithm at all', async () => {
    const cases: [JWK | string, string, string][] = [
      [P256, 'ES384', 'ERR_KEY_INVALID'], // curve
      [P256, 'RS256', 'ERR_KEY_INVALID'], // type
      [P256, 'HS256', 'ERR_KEY_INVALID'], // an asymmetric key is never an HMAC secret
      [SECRET, 'ES256', 'ERR_KEY_INVALID'], // a secret is never an asymmetric key
      [{ kty: 'oct', k: Buffer.alloc(31).toString('base64url') }, 'HS256', 'ERR_KEY_INVALID'], // too short
      [{ kty: 'oct', k: Buffer.alloc(63, 1).toString('base64url') }, 'HS512', 'ERR_KEY_INVALID'],
      [P256, 'none', 'ERR_JOSE_NOT_SUPPORTED'],
      [P256, 'ES256 ', 'ERR_JOSE_NOT_SUPPORTED'],
      [P256, 'es256', 'ERR_JOSE_NOT_SUPPORTED'],
      [P256, '__proto__', 'ERR_JOSE_NOT_SUPPORTED'],
      [P256, 'A256GCM', 'ERR_INVALID_OPTION'], // bind direct-encryption keys to "dir"
    ];
    for (const [material, alg, code] of cases) await expectCode(importKey(material as JWK, { alg }), code as never);
    const okp = (type: 'ed448' | 'x25519') =>
      generateKeyPairSync(type as 'ed448').publicKey.export({ format: 'jwk' }) as JWK;
    await expectCode(importKey(okp('ed448'), { alg: 'Ed25519' }), 'ERR_KEY_INVALID');
    await expectCode(importKey(okp('x25519'), { alg: 'EdDSA' }), 'ERR_KEY_INVALID');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'jwk' });
    await expectCode(importKey(k1 as JWK, { alg: 'ES256' }), 'ERR_KEY_INVALID');
    expect((await importKey(k1 as JWK, { alg: 'ES256K' })).crv).toBe('secp256k1');
  });

  it('a key bound to a JWE algorithm never verifies a JWS', async () => {
    const kw = await importKey({ kty: 'oct', k: Buffer.alloc(32, 3).toString('base64url') }, { alg: 'A256KW' });
    const jws = await signCompact('x', { alg: 'HS256' }, await importKey(SECRET));
    await expectCode(verifyCompact(jws, kw), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });
});

describe('use and key_ops', () => {
  it('use "enc" never signs or verifies, whether from the JWK or the option', async () => {
    const jws = await signCompact('x', { alg: 'ES256' }, await importKey(P256));
    await expectCode(importKey({ ...P256, use: 'enc' }, { alg: 'ES256' }), 'ERR_KEY_INVALID');
    for (const key of [await importKey({ ...P256_PUBLIC, use: 'enc' }), await importKey(P256_PUBLIC, { use: 'enc' })]) {
      await expectCode(verifyCompact(jws, key, { algorithms: ['ES256'] }), 'ERR_KEY_INVALID');
    }
    await expectCode(signCompact('x', { alg: 'ES256' }, await importKey({ ...P256, use: 'enc' })), 'ERR_KEY_INVALID');
    await expectCode(importKey({ ...P256, use: 'sig' }, { use: 'enc' }), 'ERR_INVALID_OPTION');
    await verifyCompact(jws, await importKey({ ...P256_PUBLIC, use: 'sig' }), { algorithms: ['ES256'] });
  });

  it('key_ops must list the operation', async () => {
    const signOnly = await importKey({ ...P256, key_ops: ['sign'] });
    const verifyOnly = await importKey({ ...P256, key_ops: ['verify'] });
    const jws = await signCompact('x', { alg: 'ES256' }, signOnly);
    await expectCode(verifyCompact(jws, signOnly, { algorithms: ['ES256'] }), 'ERR_KEY_INVALID');
    await verifyCompact(jws, verifyOnly, { algorithms: ['ES256'] });
    await expectCode(signCompact('x', { alg: 'ES256' }, verifyOnly), 'ERR_KEY_INVALID');
    const encryptOnly = await importKey({ ...SECRET, key_ops: ['encrypt', 'decrypt'] });
    await expectCode(signCompact('x', { alg: 'HS256' }, encryptOnly), 'ERR_KEY_INVALID');
  });

  it('a public key never signs', async () => {
    await expectCode(signCompact('x', { alg: 'ES256' }, await importKey(P256_PUBLIC)), 'ERR_KEY_INVALID');
  });
});

describe('generation', () => {
  it('generateKeyPair binds both halves; generateSecret makes full-length secrets', async () => {
    for (const [alg, crv] of [
      ['RS256', undefined],
      ['ES384', undefined],
      ['ES256K', undefined],
      ['EdDSA', 'Ed448'],
      ['Ed25519', undefined],
    ] as const) {
      const { privateKey, publicKey } = await keysFor(alg, crv);
      expect([privateKey.alg, publicKey.alg, privateKey.isPrivate, publicKey.isPrivate]).toEqual([
        alg,
        alg,
        true,
        false,
      ]);
      if (crv !== undefined) expect(publicKey.crv).toBe(crv);
    }
    for (const [alg, bytes] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      const secret = await generateSecret(alg);
      const { k } = await exportJwk(secret, { includePrivate: true });
      expect(fromB64u(k!).length).toBe(bytes);
      expect(k).not.toBe((await exportJwk(await generateSecret(alg), { includePrivate: true })).k);
    }
    await expectCode(generateKeyPair('RS256', { modulusLength: 1024 }), 'ERR_INVALID_OPTION');
    await expectCode(generateKeyPair('ES256', { crv: 'P-384' }), 'ERR_INVALID_OPTION');
    await expectCode(generateKeyPair('HS256'), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(generateKeyPair('none'), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(generateSecret('RS256'), 'ERR_JOSE_NOT_SUPPORTED');
  });
});

describe('thumbprints', () => {
  it('depend only on the required public members; Key and JWK agree; digests and URIs', async () => {
    const key = await importKey(P256, { alg: 'ES256', kid: 'a' });
    const tp = await jwkThumbprint(P256_PUBLIC);
    expect(await jwkThumbprint(P256)).toBe(tp);
    expect(await jwkThumbprint(key)).toBe(tp);
    expect(await jwkThumbprint({ ...P256_PUBLIC, kid: 'other', use: 'sig' })).toBe(tp);
    expect(tp).toMatch(/^[\w-]{43}$/);
    expect(await jwkThumbprint(P256_PUBLIC, 'sha512')).toMatch(/^[\w-]{86}$/);
    expect(await jwkThumbprintUri(key)).toBe(`urn:ietf:params:oauth:jwk-thumbprint:sha-256:${tp}`);
    await expectCode(jwkThumbprint(P256_PUBLIC, 'md5' as 'sha256'), 'ERR_INVALID_OPTION');
    await expectCode(jwkThumbprint(P256_PUBLIC, '__proto__' as 'sha256'), 'ERR_INVALID_OPTION');
    await expectCode(jwkThumbprint({ ...P256_PUBLIC, x: 'AAAA' }), 'ERR_JWK_INVALID');
    await expectCode(jwkThumbprint('not a key' as unknown as JWK), 'ERR_KEY_INVALID');
    const secretTp = await jwkThumbprint(await importKey(SECRET));
    expect(secretTp).toBe(await jwkThumbprint(SECRET));
  });
});

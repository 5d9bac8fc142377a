/**
 * Key binding (the `alg` option and the JWK `alg`) and `use`/`key_ops` enforcement.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKey, type JWK, signCompact, verifyCompact } from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { expectCode } from '../helpers/index.js';

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
    if (LACKS_SECP256K1) await expectCode(importKey(k1 as JWK, { alg: 'ES256K' }), 'ERR_JOSE_NOT_SUPPORTED');
    else expect((await importKey(k1 as JWK, { alg: 'ES256K' })).crv).toBe('secp256k1');
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

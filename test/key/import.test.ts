/**
 * importKey/exportJwk/exportPem round trips for every key type and curve, from every material form: JWK, PEM
 * (SPKI, PKCS#8, PKCS#1 RSA public and private, SEC1 EC), node KeyObject and WebCrypto CryptoKey.
 */
import { createSecretKey, generateKeyPairSync, type KeyObject, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportJwk,
  exportPem,
  importKey,
  type JWK,
  type Key,
  jwkThumbprint,
  signCompact,
  verifyCompact,
} from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { expectCode } from '../helpers/index.js';

interface Kind {
  name: string;
  type: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'x25519' | 'x448';
  options?: Record<string, unknown>;
  kty: string;
  crv?: string;
  /** A JWS algorithm to sign with, or undefined for key-agreement keys. */
  alg?: string;
  /** Extra private PEM encodings: PKCS#1 for RSA, SEC1 for EC. */
  legacy?: 'pkcs1' | 'sec1';
}

const KINDS: readonly Kind[] = [
  { name: 'RSA 2048', type: 'rsa', options: { modulusLength: 2048 }, kty: 'RSA', alg: 'PS256', legacy: 'pkcs1' },
  { name: 'EC P-256', type: 'ec', options: { namedCurve: 'prime256v1' }, kty: 'EC', crv: 'P-256', alg: 'ES256' },
  { name: 'EC P-384', type: 'ec', options: { namedCurve: 'secp384r1' }, kty: 'EC', crv: 'P-384', alg: 'ES384' },
  { name: 'EC P-521', type: 'ec', options: { namedCurve: 'secp521r1' }, kty: 'EC', crv: 'P-521', alg: 'ES512' },
  {
    name: 'EC secp256k1',
    type: 'ec',
    options: { namedCurve: 'secp256k1' },
    kty: 'EC',
    crv: 'secp256k1',
    alg: 'ES256K',
  },
  { name: 'OKP Ed25519', type: 'ed25519', kty: 'OKP', crv: 'Ed25519', alg: 'Ed25519' },
  { name: 'OKP Ed448', type: 'ed448', kty: 'OKP', crv: 'Ed448', alg: 'Ed448' },
  { name: 'OKP X25519', type: 'x25519', kty: 'OKP', crv: 'X25519' },
  { name: 'OKP X448', type: 'x448', kty: 'OKP', crv: 'X448' },
].map((k) => (k.type === 'ec' ? { ...k, legacy: 'sec1' as const } : k)) as Kind[];

function forms(kind: Kind, publicKey: KeyObject, privateKey: KeyObject): [string, unknown, boolean][] {
  const out: [string, unknown, boolean][] = [
    ['public JWK', publicKey.export({ format: 'jwk' }), false],
    ['SPKI PEM', publicKey.export({ format: 'pem', type: 'spki' }), false],
    ['public KeyObject', publicKey, false],
    ['private JWK', privateKey.export({ format: 'jwk' }), true],
    ['PKCS#8 PEM', privateKey.export({ format: 'pem', type: 'pkcs8' }), true],
    ['private KeyObject', privateKey, true],
  ];
  if (kind.legacy === 'pkcs1') {
    out.push(['PKCS#1 public PEM', publicKey.export({ format: 'pem', type: 'pkcs1' }), false]);
    out.push(['PKCS#1 private PEM', privateKey.export({ format: 'pem', type: 'pkcs1' }), true]);
  }
  if (kind.legacy === 'sec1') out.push(['SEC1 PEM', privateKey.export({ format: 'pem', type: 'sec1' }), true]);
  return out;
}

describe('importKey / exportJwk / exportPem round trips', () => {
  for (const kind of KINDS) {
    it(`${kind.name}: every material form imports to the same key`, async () => {
      const { publicKey, privateKey } = generateKeyPairSync(
        kind.type as 'ec',
        (kind.options ?? {}) as never,
      ) as unknown as {
        publicKey: KeyObject;
        privateKey: KeyObject;
      };
      const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
      const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
      const spki = publicKey.export({ format: 'pem', type: 'spki' });
      const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' });
      if (kind.crv === 'secp256k1' && LACKS_SECP256K1) {
        // This WebCrypto has no secp256k1: every form is refused as such, never imported half-usable.
        for (const [, material] of forms(kind, publicKey, privateKey)) {
          await expectCode(importKey(material as JWK), 'ERR_JOSE_NOT_SUPPORTED');
        }
        return;
      }
      const thumbprint = await jwkThumbprint(publicJwk);
      const keys: [string, Key][] = [];
      for (const [form, material, isPrivate] of forms(kind, publicKey, privateKey)) {
        const key = await importKey(material as JWK);
        expect({ form, kty: key.kty, crv: key.crv, isPrivate: key.isPrivate }).toEqual({
          form,
          kty: kind.kty,
          crv: kind.crv,
          isPrivate,
        });
        expect(await exportJwk(key)).toEqual(publicJwk);
        expect(await exportPem(key)).toBe(isPrivate ? pkcs8 : spki);
        if (isPrivate) expect(await exportJwk(key, { includePrivate: true })).toEqual(privateJwk);
        expect(await jwkThumbprint(key)).toBe(thumbprint);
        keys.push([form, key]);
      }
      if (kind.alg === undefined) return;
      // Every private form signs; every form (public or private) verifies.
      for (const [, signer] of keys.filter(([, k]) => k.isPrivate)) {
        const jws = await signCompact('round trip', { alg: kind.alg }, signer);
        for (const [, verifier] of keys) await verifyCompact(jws, verifier, { algorithms: [kind.alg] });
      }
    });
  }

  it('WebCrypto CryptoKeys import (RSASSA, ECDSA, Ed25519, HMAC)', async () => {
    const subtle = webcrypto.subtle;
    const pairs: [string, CryptoKeyPair][] = [
      [
        'RS256',
        (await subtle.generateKey(
          {
            name: 'RSASSA-PKCS1-v1_5',
            modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]),
            hash: 'SHA-256',
          },
          true,
          ['sign', 'verify'],
        )) as CryptoKeyPair,
      ],
      [
        'ES256',
        (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair,
      ],
      ['EdDSA', (await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair],
    ];
    for (const [alg, pair] of pairs) {
      const priv = await importKey(pair.privateKey, { alg });
      const pub = await importKey(pair.publicKey, { alg });
      expect([priv.isPrivate, pub.isPrivate]).toEqual([true, false]);
      await verifyCompact(await signCompact('webcrypto', { alg }, priv), pub);
    }
    const hmac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign', 'verify']);
    const secret = await importKey(hmac as CryptoKey, { alg: 'HS256' });
    expect([secret.kty, secret.isPrivate]).toEqual(['oct', true]);
    await verifyCompact(await signCompact('webcrypto', { alg: 'HS256' }, secret), secret);
  });

  it('oct secrets: bytes, JWK and KeyObject agree; secrets export only on request and never as PEM', async () => {
    const bytes = new Uint8Array(48).map((_, i) => i * 5 + 1);
    const jwk = { kty: 'oct', k: Buffer.from(bytes).toString('base64url') };
    const forms: unknown[] = [bytes, jwk, createSecretKey(bytes)];
    for (const material of forms) {
      const key = await importKey(material as JWK, { alg: 'HS384' });
      expect([key.kty, key.isPrivate, key.alg]).toEqual(['oct', true, 'HS384']);
      expect(await exportJwk(key, { includePrivate: true })).toEqual({ ...jwk, alg: 'HS384' });
      await expectCode(exportJwk(key), 'ERR_INVALID_OPTION');
      await expectCode(exportPem(key), 'ERR_KEY_INVALID');
      expect(await jwkThumbprint(key)).toBe(await jwkThumbprint(jwk));
    }
    // The key copies the bytes: changing the caller's array later changes nothing.
    const key = await importKey(bytes, { alg: 'HS384' });
    const jws = await signCompact('x', { alg: 'HS384' }, key);
    bytes.fill(0);
    await verifyCompact(jws, key);
  });

  it('a private key exports its public half only, unless includePrivate is set', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = await importKey(privateKey, { alg: 'ES256', kid: 'k1' });
    const pub = await exportJwk(key);
    expect(pub).not.toHaveProperty('d');
    expect(pub).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: 'k1' });
    expect(await exportJwk(key, { includePrivate: true })).toHaveProperty('d');
    expect(await exportJwk(key, { includePrivate: 'yes' as unknown as boolean })).not.toHaveProperty('d');
  });
});

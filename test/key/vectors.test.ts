/**
 * Key vectors: RFC 7520 section 3 keys, RFC 7517 appendices A and B, RFC 8037 A.1-A.3 and the RFC 7638 section 3.1
 * thumbprint (with its RFC 9278 URI form). One runner imports a JWK, checks what jot reports about it, and
 * round-trips it through exportJwk and exportPem.
 */
import { X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { exportJwk, exportPem, importKey, type JWK, jwkThumbprint, jwkThumbprintUri } from '../../src/index.js';
import { describeVectors, expectCode, loadVector } from '../helpers/index.js';

const KEY_MEMBERS = [
  'kty',
  'crv',
  'x',
  'y',
  'd',
  'n',
  'e',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
  'alg',
  'kid',
  'use',
  'key_ops',
];
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

function pick(jwk: JWK, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) if (jwk[n] !== undefined) out[n] = jwk[n];
  return out;
}

/** The generic runner: import, inspect, export both ways, re-import. */
async function runJwk(jwk: JWK): Promise<void> {
  const key = await importKey(jwk);
  expect(key.kty).toBe(jwk.kty);
  expect(key.crv).toBe(jwk.crv);
  expect(key.alg).toBe(jwk.alg);
  expect(key.kid).toBe(jwk.kid);
  expect(key.use).toBe(jwk.use);
  const isPrivate = jwk.kty === 'oct' || jwk.d !== undefined;
  expect(key.isPrivate).toBe(isPrivate);

  const full = await exportJwk(key, { includePrivate: true });
  expect(pick(full, KEY_MEMBERS)).toEqual(pick(jwk, KEY_MEMBERS));
  if (jwk.kty === 'oct') return;
  const pub = await exportJwk(key);
  expect(pub).toEqual(
    pick(
      jwk,
      KEY_MEMBERS.filter((m) => !PRIVATE.includes(m)),
    ),
  );
  // PEM: PKCS#8 for a private key, SPKI for a public one; the key survives the trip.
  const pem = await exportPem(key);
  expect(pem).toMatch(isPrivate ? /^-----BEGIN PRIVATE KEY-----\n/ : /^-----BEGIN PUBLIC KEY-----\n/);
  const again = await importKey(pem);
  expect(pick(await exportJwk(again, { includePrivate: true }), KEY_MEMBERS)).toEqual(
    pick(
      jwk,
      KEY_MEMBERS.filter((m) => !['alg', 'kid', 'use', 'key_ops'].includes(m)),
    ),
  );
  expect(await jwkThumbprint(again)).toBe(await jwkThumbprint(key));
}

describeVectors('RFC 7520 section 3 keys', () => {
  for (const file of [
    '3_1.ec_public_key.json',
    '3_2.ec_private_key.json',
    '3_3.rsa_public_key.json',
    '3_4.rsa_private_key.json',
    '3_5.symmetric_key_mac_computation.json',
  ]) {
    it(`${file} imports and round-trips`, () => runJwk(loadVector<JWK>(`rfc7520/jwk/${file}`)));
  }

  // RFC 7520 3.6 is a direct-encryption key whose JWK says "alg": "A256GCM", a content encryption algorithm.
  // jot imports it as a direct-encryption key bound to "dir", after checking it has exactly A256GCM's size.
  it('3_6.symmetric_key_encryption.json imports as a "dir" key of the right size', async () => {
    const jwk = loadVector<JWK>('rfc7520/jwk/3_6.symmetric_key_encryption.json');
    expect(jwk.alg).toBe('A256GCM');
    const key = await importKey(jwk);
    expect([key.alg, key.use, key.kid]).toEqual(['dir', 'enc', jwk.kid]);
    await expectCode(importKey({ ...jwk, alg: 'A128GCM' }), 'ERR_KEY_INVALID');
    const { alg: _alg, ...unbound } = jwk;
    await runJwk(unbound);
  });
});

describeVectors('RFC 7517 appendices A and B', () => {
  const files = loadVector<any>('rfc/latchset-jose/rfc7517_appendix_A_B.json').files;
  for (const set of ['rfc7517_A.1.jwkset', 'rfc7517_A.2.jwkset', 'rfc7517_A.3.jwkset']) {
    for (const [i, jwk] of (files[set].keys as JWK[]).entries()) {
      it(`${set} key ${i} (${jwk.kty}${jwk.kid ? `, kid ${jwk.kid}` : ''}) imports and round-trips`, () => runJwk(jwk));
    }
  }

  it('rfc7517_B: an RSA key with x5c; the certificate holds the same key', async () => {
    const jwk: JWK = files['rfc7517_B.jwk'];
    const { x5c, ...rest } = jwk;
    await runJwk(rest);
    const key = await importKey(jwk);
    const der = Buffer.from(x5c![0]!, 'base64');
    const body = der.toString('base64').replace(/.{64}/g, '$&\n');
    const pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    const fromCert = await importKey(pem);
    expect(await exportJwk(fromCert)).toEqual(pick(await exportJwk(key), ['kty', 'n', 'e']));
    expect(new X509Certificate(der).publicKey.export({ format: 'jwk' })).toEqual({ kty: 'RSA', n: jwk.n, e: jwk.e });
  });
});

describeVectors('RFC 8037 A.1-A.3 and RFC 7638 3.1 thumbprints (RFC 9278 URIs)', () => {
  const okp = loadVector<any>('rfc/erlang-jose/rfc8037_appendix_A.json').sections;

  it('RFC 8037 A.1 private and A.2 public Ed25519 keys', async () => {
    const priv = JSON.parse(okp['A.1'].files['a.1.jwk+json']);
    const pub = JSON.parse(okp['A.2'].files['a.2.jwk+json']);
    await runJwk(priv);
    await runJwk(pub);
    expect(Buffer.from(priv.d, 'base64url').toString('hex')).toBe(okp['A.1'].entries['a.1.secret']);
    expect(Buffer.from(pub.x, 'base64url').toString('hex')).toBe(okp['A.1'].entries['a.1.pk']);
    expect(await exportJwk(await importKey(priv))).toEqual(pub);
  });

  it('RFC 8037 A.3 thumbprint, from the JWK, the private JWK and the imported Key', async () => {
    const a3 = okp['A.3'].entries;
    const expected: string = a3['a.3.thumbprint+b64'];
    expect(Buffer.from(expected, 'base64url').toString('hex')).toBe(a3['a.3.thumbprint+hex']);
    const jwk = JSON.parse(a3['a.3.jwk+json']);
    expect(await jwkThumbprint(jwk)).toBe(expected);
    expect(await jwkThumbprint(JSON.parse(okp['A.1'].files['a.1.jwk+json']))).toBe(expected);
    expect(await jwkThumbprint(await importKey(jwk))).toBe(expected);
  });

  it('RFC 7638 3.1 thumbprint and its RFC 9278 URI', async () => {
    const files = loadVector<any>('rfc/latchset-jose/rfc7638_section_3.1.json').files;
    const jwk: JWK = files['rfc7638_3.1.jwk'];
    const expected: string = files['rfc7638_3.1.thp'];
    expect(expected).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    expect(await jwkThumbprint(jwk)).toBe(expected);
    expect(await jwkThumbprint(await importKey(jwk))).toBe(expected);
    // RFC 9278 section 3 uses this very key for its example.
    expect(await jwkThumbprintUri(jwk)).toBe(`urn:ietf:params:oauth:jwk-thumbprint:sha-256:${expected}`);
    expect(await jwkThumbprintUri(jwk, 'sha384')).toMatch(/^urn:ietf:params:oauth:jwk-thumbprint:sha-384:[\w-]{64}$/);
    expect(await jwkThumbprintUri(jwk, 'sha512')).toMatch(/^urn:ietf:params:oauth:jwk-thumbprint:sha-512:[\w-]{86}$/);
    // Members outside the required set (alg, kid) never change the thumbprint.
    const { alg: _a, kid: _k, ...bare } = jwk;
    expect(await jwkThumbprint(bare)).toBe(expected);
  });
});

/**
 * Property-based tests for importKey and the thumbprint: arbitrary JWK-shaped objects, mutated real JWKs,
 * arbitrary and PEM-looking strings only ever yield a Key or a JotError.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcome } from '../helpers/index.js';
import { importKey, type JWK, jwkThumbprint } from '../../src/index.js';

const b64uString = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url'));
const anyMember = fc.oneof(b64uString, fc.string({ unit: 'binary' }), fc.jsonValue(), fc.anything());
const REAL: JWK[] = [
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK,
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }) as JWK,
  generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK,
  generateKeyPairSync('x448').publicKey.export({ format: 'jwk' }) as JWK,
  { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') },
];

describe('importKey on hostile material', () => {
  it('arbitrary JWK-shaped objects', async () => {
    const jwk = fc.record(
      {
        kty: fc.oneof(fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'AKP', ''), anyMember),
        crv: fc.oneof(
          fc.constantFrom('P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'Ed448', 'X25519', 'X448'),
          anyMember,
        ),
        alg: fc.oneof(fc.constantFrom('HS256', 'ES256', 'RS256', 'EdDSA', 'dir', 'A128KW', 'none'), anyMember),
        x: anyMember,
        y: anyMember,
        d: anyMember,
        n: anyMember,
        e: fc.oneof(fc.constantFrom('AQAB', 'Aw', 'AQ'), anyMember),
        k: anyMember,
        use: fc.oneof(fc.constantFrom('sig', 'enc'), anyMember),
        key_ops: fc.oneof(fc.array(fc.constantFrom('sign', 'verify', 'encrypt', 'x')), anyMember),
        ext: anyMember,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(jwk, async (m) => {
        expect(await outcome(() => importKey(m as JWK))).toMatch(/^(ok|ERR_[A-Z_]+)$/);
        expect(await outcome(() => jwkThumbprint(m as JWK))).toMatch(/^(ok|ERR_[A-Z_]+)$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('real JWKs with one member replaced or removed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REAL),
        fc.constantFrom('kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'qi', 'k'),
        fc.option(anyMember),
        async (real, name, value) => {
          const m: Record<string, unknown> = { ...real };
          if (value === null) delete m[name];
          else m[name] = value;
          // An own member whose value is `undefined` is the same as an absent one (JSON cannot carry it).
          const removed = m[name] === undefined;
          const got = await outcome(() => importKey(m as JWK));
          expect(got).toMatch(/^(ok|ERR_[A-Z_]+)$/);
          // A private key's parts are checked against each other: changing any present member of RSA, EC or
          // Ed25519 private keys to another value never imports (only the public X448 key and the secret may change).
          const changed = real[name] !== undefined && m[name] !== real[name];
          // (Removing d from an EC or OKP key, or setting it to undefined, leaves a valid public key.)
          const publicLeft = removed && name === 'd' && real.kty !== 'RSA';
          if (changed && real.d !== undefined && name !== 'kty' && !publicLeft) expect(got).not.toBe('ok');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('arbitrary strings, PEM-looking strings and non-key values', async () => {
    const body = fc
      .uint8Array({ maxLength: 300 })
      .map((b) => Buffer.from(b).toString('base64').replace(/.{64}/g, '$&\n'));
    const label = fc.constantFrom(
      'PUBLIC KEY',
      'PRIVATE KEY',
      'RSA PUBLIC KEY',
      'RSA PRIVATE KEY',
      'EC PRIVATE KEY',
      'CERTIFICATE',
      'X',
    );
    const pem = fc
      .tuple(label, body, fc.constantFrom('\n', '\r\n', ''))
      .map(([l, b, nl]) => `-----BEGIN ${l}-----${nl}${b}${nl}-----END ${l}-----${nl}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(pem, fc.string({ unit: 'binary' }), fc.anything()), async (m) => {
        const got = await outcome(() => importKey(m as string));
        expect(got).toMatch(/^(ok|ERR_[A-Z_]+)$/);
        if (typeof m === 'string') expect(got).not.toBe('ok');
      }),
      { numRuns: 500 },
    );
  });
});

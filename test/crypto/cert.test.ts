// The DER certificate reader (crypto/cert.ts) that both implementations' chain policy and the WebCrypto signature
// checks rely on, against hostile DER: truncated, overlong and indefinite lengths, trailing bytes, huge sizes, and
// seeded random mutations of a real certificate. Always a JotError or a certificate, in bounded time.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '#crypto/x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/crypto/cert.js';
import { isJotError } from '../../src/errors.js';
import { selfSignedCa, sslIn } from '../helpers/openssl.js';
import { verifyCertificateChain } from '../../src/keyset/x509-web.js';

const OPENSSL = '/usr/bin/openssl';
const available = existsSync(OPENSSL);
if (!available) {
  const message = `${OPENSSL} not found: install the Debian package openssl`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the certificate reader tests: ${message}`);
}

let dir: string;
let cert: Uint8Array;
let caPem: string;
beforeAll(() => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'jot-cert-'));
  selfSignedCa(sslIn(OPENSSL, dir), 'ca');
  caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  cert = new Uint8Array(Buffer.from(caPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
}, 60_000);
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Parse, and say what happened: 'ok' or the JotError code; anything else fails the test. */
function outcome(der: Uint8Array): string {
  try {
    parseCertificate(der);
    return 'ok';
  } catch (e) {
    expect(isJotError(e), String(e)).toBe(true);
    return (e as { code: string }).code;
  }
}

const concat = (...parts: (Uint8Array | number[])[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe.skipIf(!available)(`the DER certificate reader (${x509.name} implementation)`, () => {
  it('reads a real certificate: names, validity, constraints, usage', () => {
    const c = parseCertificate(cert);
    expect(c.ca).toBe(true);
    expect(c.keyUsage).toBe(1 << 5);
    expect(c.notAfter - c.notBefore).toBe(30 * 86_400_000);
    expect(c.issuer).toEqual(c.subject);
    expect(c.der).toBe(cert);
  });

  it('refuses truncated, overlong, indefinite, non-minimal, trailing and huge encodings', () => {
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([0x30]),
      cert.subarray(0, cert.length - 1), // truncated
      cert.subarray(0, 40),
      concat(cert, [0x00]), // trailing byte
      concat(cert, cert),
      concat([0x30, 0x80], cert.subarray(4), [0, 0]), // indefinite length
      concat([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff], cert.subarray(4)), // length far beyond the input
      concat([0x30, 0x85, 1, 0, 0, 0, 0], cert.subarray(4)), // length of five bytes
      concat([0x30, 0x83, 0, cert[2]!, cert[3]!], cert.subarray(4)), // non-minimal length
      concat([0x31], cert.subarray(1)), // a SET, not a SEQUENCE
      concat([0x30, 0x82, 0xff, 0xff], new Uint8Array(0xffff)), // a huge run of zeros
      new Uint8Array(1 << 20).fill(0x30), // nested headers all the way down
    ];
    for (const der of cases) expect(outcome(der)).toBe('ERR_KEY_INVALID');
  });

  it('deep nesting and many elements are refused without recursion or large allocations', () => {
    const deep = new Uint8Array(200_000);
    for (let i = 0; i < deep.length; i += 2) [deep[i], deep[i + 1]] = [0x30, 0x00];
    expect(outcome(deep)).toBe('ERR_KEY_INVALID');
    const many = concat(
      [0x30, 0x82, 0x01, 0x00],
      new Uint8Array(256).fill(0x05).map((v, i) => (i % 2 ? 0 : v)),
    );
    expect(outcome(many)).toBe('ERR_KEY_INVALID');
  });

  it('random mutations of a real certificate: a JotError or a certificate, never anything else (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          let der = cert.slice();
          for (const [at, v, op] of edits) {
            const i = at % der.length;
            if (op === 'set') der[i] = v;
            else if (op === 'cut') der = der.subarray(0, i);
            else der = concat(der.subarray(0, i), [v], der.subarray(i));
            if (der.length === 0) break;
          }
          expect(['ok', 'ERR_KEY_INVALID']).toContain(outcome(der));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hostile x5c entries through verifyCertificateChain: ERR_KEY_INVALID, never a crash', async () => {
    const hostile = [
      concat(cert, [0]),
      cert.subarray(0, 100),
      concat([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff], cert.subarray(4)),
      concat([0x30, 0x80], cert.subarray(4), [0, 0]),
    ].map((d) => Buffer.from(d).toString('base64'));
    for (const entry of hostile) {
      await expect(verifyCertificateChain([entry], { trustAnchors: [caPem], alg: 'ES256' })).rejects.toMatchObject({
        code: 'ERR_KEY_INVALID',
      });
    }
  });
});

// One suite of x5c chain cases, run by both vitest projects: node (#crypto/x509 over X509Certificate) and web
// (WebCrypto signatures over jot's DER reader). The certificates are made here by openssl; the expected answers and
// error codes are the same on both implementations.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '#crypto/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKey, signJwt, verifyJwt } from '../../src/index.js';
import { createX5cResolver, verifyCertificateChain } from '../../src/keyset/x509-web.js';
import { WEB_CRYPTO } from '../helpers/runtime.js';

const OPENSSL = '/usr/bin/openssl';
function opensslAvailable(): boolean {
  if (existsSync(OPENSSL)) return true;
  const message = `${OPENSSL} not found: install the Debian package openssl`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the x5c chain cases: ${message}`);
  return false;
}
const available = opensslAvailable();

let dir: string;
const ssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' });
const KEYS: Record<string, string[]> = {
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed: ['-algorithm', 'ED25519'],
};
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
const LEAF_EXT = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n';

function key(name: string, type: string): void {
  ssl('genpkey', ...KEYS[type]!, '-out', `${name}.key`);
}

function root(name: string, type: string, ext = CA_EXT): void {
  key(name, type);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${name}`);
  // Re-sign with the wanted extensions (req -x509 adds its own defaults otherwise).
  issue(name, name, type, ext, [], `${name}.pem`);
}

/** `name`, issued by `issuer` (its key, its certificate), with the extensions `ext` and extra x509 flags. */
function issue(name: string, issuer: string, type: string, ext: string, flags: string[] = [], self?: string): void {
  if (!existsSync(join(dir, `${name}.key`))) key(name, type);
  ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), ext);
  const ca =
    self === undefined
      ? ['-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial']
      : ['-signkey', `${name}.key`];
  ssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    ...ca,
    '-days',
    '30',
    '-extfile',
    `${name}.ext`,
    ...flags,
    '-out',
    `${name}.pem`,
  );
}

const b64 = (name: string) => readFileSync(join(dir, `${name}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, '');
const pem = (name: string) => readFileSync(join(dir, `${name}.pem`), 'utf8');

beforeAll(() => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'jot-x5c-chains-'));
  root('rsaroot', 'rsa');
  issue('rsainter', 'rsaroot', 'rsa', CA_EXT);
  issue('rsaleaf', 'rsainter', 'rsa', LEAF_EXT);
  issue('pssleaf', 'rsaroot', 'rsa', LEAF_EXT, [
    '-sha256',
    '-sigopt',
    'rsa_padding_mode:pss',
    '-sigopt',
    'rsa_pss_saltlen:32',
  ]);
  root('ecroot', 'p384');
  issue('ecinter', 'ecroot', 'ec', CA_EXT, ['-sha384']);
  issue('ecleaf', 'ecinter', 'ec', LEAF_EXT);
  root('edroot', 'ed');
  issue('edleaf', 'edroot', 'ed', LEAF_EXT);
  root('other', 'ec');
  issue('stranger', 'other', 'ec', LEAF_EXT);
  issue('leafca', 'ecinter', 'ec', LEAF_EXT); // a leaf that then issues a certificate
  issue('underleaf', 'leafca', 'ec', LEAF_EXT);
  root('tight', 'ec', 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n');
  issue('tightinter', 'tight', 'ec', CA_EXT);
  issue('tightleaf', 'tightinter', 'ec', LEAF_EXT);
  issue('tightdirect', 'tight', 'ec', LEAF_EXT);
  issue('critical', 'ecinter', 'ec', `${LEAF_EXT}1.2.3.4=critical,ASN1:NULL\n`);
  issue('noncritical', 'ecinter', 'ec', `${LEAF_EXT}1.2.3.4=ASN1:NULL\n`);
  issue('i2', 'ecinter', 'ec', CA_EXT);
  issue('i3', 'i2', 'ec', CA_EXT);
  issue('i4', 'i3', 'ec', CA_EXT);
  issue('i5', 'i4', 'ec', CA_EXT);
  issue('deepleaf', 'i5', 'ec', LEAF_EXT);
}, 120_000);
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const NOW = () => new Date();
const verify = (x5c: unknown, anchor: string, alg: string, extra: Record<string, unknown> = {}) =>
  verifyCertificateChain(x5c, { trustAnchors: [pem(anchor)], alg, ...extra });
const refused = async (p: () => Promise<unknown>, code = 'ERR_KEY_INVALID', message?: RegExp) => {
  const e = await p().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'a refusal').toMatchObject({ code });
  if (message !== undefined) expect((e as Error).message).toMatch(message);
};

/** The signature bytes of a base64 certificate, one bit flipped near its end (inside signatureValue). */
function flipSignature(name: string): string {
  const der = Buffer.from(b64(name), 'base64');
  der[der.length - 5]! ^= 0x01;
  return der.toString('base64');
}

describe.skipIf(!available)(`x5c chains (${x509.name} implementation)`, () => {
  it('the implementation under test is the one the project names', () => {
    expect(x509.name).toBe(WEB_CRYPTO ? 'web' : 'node');
  });

  it('valid chains verify: RSA (PKCS#1 v1.5 and PSS), EC (P-384 over P-256), Ed25519', async () => {
    expect(await verify([b64('rsaleaf'), b64('rsainter')], 'rsaroot', 'RS256')).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
    });
    expect(await verify([b64('pssleaf')], 'rsaroot', 'PS256')).toMatchObject({ kty: 'RSA', alg: 'PS256' });
    expect(await verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'ES256')).toMatchObject({ crv: 'P-256' });
    expect(await verify([b64('ecleaf'), b64('ecinter'), b64('ecroot')], 'ecroot', 'ES256')).toMatchObject({
      alg: 'ES256',
    });
    expect(await verify([b64('edleaf')], 'edroot', 'EdDSA')).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(await verify([b64('noncritical'), b64('ecinter')], 'ecroot', 'ES256')).toMatchObject({ alg: 'ES256' });
    expect(await verify([b64('tightdirect')], 'tight', 'ES256')).toMatchObject({ alg: 'ES256' });
  });

  it('refuses expired and not-yet-valid certificates', async () => {
    const later = new Date(Date.now() + 40 * 86_400_000);
    const earlier = new Date(Date.now() - 86_400_000);
    await refused(
      () => verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'ES256', { at: later }),
      undefined,
      /not valid at this time/,
    );
    await refused(
      () => verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'ES256', { at: earlier }),
      undefined,
      /not valid at this time/,
    );
    expect(await verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'ES256', { at: NOW() })).toBeDefined();
  });

  it('refuses a wrong issuer, a leaf used as CA, an exceeded pathLen, a bad signature', async () => {
    await refused(
      () => verify([b64('ecleaf'), b64('rsainter')], 'rsaroot', 'ES256'),
      undefined,
      /not signed by the next/,
    );
    await refused(
      () => verify([b64('rsaleaf'), b64('ecinter')], 'ecroot', 'RS256'),
      undefined,
      /not signed by the next/,
    );
    await refused(
      () => verify([b64('underleaf'), b64('leafca'), b64('ecinter')], 'ecroot', 'ES256'),
      undefined,
      /not a CA/,
    );
    await refused(() => verify([b64('tightleaf'), b64('tightinter')], 'tight', 'ES256'), undefined, /path length/);
    await refused(() => verify([flipSignature('ecleaf'), b64('ecinter')], 'ecroot', 'ES256'), undefined, /not signed/);
    await refused(
      () => verify([flipSignature('rsaleaf'), b64('rsainter')], 'rsaroot', 'RS256'),
      undefined,
      /not signed/,
    );
    await refused(() => verify([flipSignature('pssleaf')], 'rsaroot', 'PS256'), undefined, /trust anchor/);
    await refused(() => verify([flipSignature('edleaf')], 'edroot', 'EdDSA'), undefined, /trust anchor/);
  });

  it('refuses an unknown critical extension, an untrusted root, a chain too long, a key that does not fit alg', async () => {
    await refused(() => verify([b64('critical'), b64('ecinter')], 'ecroot', 'ES256'), undefined, /critical extension/);
    await refused(() => verify([b64('stranger'), b64('other')], 'ecroot', 'ES256'), undefined, /trust anchor/);
    await refused(
      () => verify([b64('ecleaf'), b64('ecinter'), b64('ecroot')], 'other', 'ES256'),
      undefined,
      /trust anchor/,
    );
    const deep = ['deepleaf', 'i5', 'i4', 'i3', 'i2', 'ecinter'].map(b64);
    await refused(() => verify(deep, 'ecroot', 'ES256'), 'ERR_LIMIT_EXCEEDED');
    expect(await verify(deep, 'ecroot', 'ES256', { maxChainLength: 6 })).toMatchObject({ alg: 'ES256' });
    await refused(
      () => verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'ES256', { maxChainLength: 1 }),
      'ERR_LIMIT_EXCEEDED',
    );
    await refused(() => verify([b64('ecleaf'), b64('ecinter')], 'ecroot', 'RS256'), undefined, /does not fit/);
    await refused(() => verify([b64('ecroot')], 'ecroot', 'ES256'), undefined, /is a CA/);
  });

  it('trust anchors: PEM or DER, refused otherwise (ERR_INVALID_OPTION)', async () => {
    const der = new Uint8Array(Buffer.from(b64('ecroot'), 'base64'));
    expect(
      await verifyCertificateChain([b64('ecleaf'), b64('ecinter')], { trustAnchors: [der], alg: 'ES256' }),
    ).toBeDefined();
    for (const bad of ['not a certificate', new Uint8Array([0x30, 0x00]), { raw: der }, 1]) {
      await refused(
        () => verifyCertificateChain([b64('ecleaf')], { trustAnchors: [bad as never], alg: 'ES256' }),
        'ERR_INVALID_OPTION',
      );
    }
  });

  it('createX5cResolver verifies tokens through the chain and checks x5t#S256', async () => {
    const leafKey = await importKey(readFileSync(join(dir, 'edleaf.key'), 'utf8'), { alg: 'EdDSA' });
    const resolver = createX5cResolver({ trustAnchors: [pem('edroot')], algorithms: ['EdDSA'] });
    const good = await signJwt({ sub: 'u' }, leafKey, { header: { x5c: [b64('edleaf')] } });
    expect((await verifyJwt(good, resolver, { algorithms: ['EdDSA'] })).payload.sub).toBe('u');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', Buffer.from(b64('edleaf'), 'base64')));
    const thumb = Buffer.from(digest).toString('base64url');
    const withThumb = await signJwt({}, leafKey, { header: { x5c: [b64('edleaf')], 'x5t#S256': thumb } });
    await expect(verifyJwt(withThumb, resolver, { algorithms: ['EdDSA'] })).resolves.toBeDefined();
    const badThumb = await signJwt({}, leafKey, { header: { x5c: [b64('edleaf')], 'x5t#S256': 'x'.repeat(43) } });
    await expect(verifyJwt(badThumb, resolver, { algorithms: ['EdDSA'] })).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
    const forged = await signJwt({}, leafKey, { header: { x5c: [flipSignature('edleaf')] } });
    await expect(verifyJwt(forged, resolver, { algorithms: ['EdDSA'] })).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
  });
});

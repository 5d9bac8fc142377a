// x5c chains made with openssl at test time: a chain to the test CA verifies; a self-signed leaf, an expired or
// wrong-usage certificate and a chain to another CA are refused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createX5cResolver, importKey, signJwt, verifyCertificateChain, verifyJwt } from '../../src/index.js';
import { selfSignedCa } from '../helpers/openssl.js';

const OPENSSL = '/usr/bin/openssl';
function opensslAvailable(): boolean {
  if (existsSync(OPENSSL)) return true;
  const message = `${OPENSSL} not found: install the Debian package openssl`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the x5c tests: ${message}`);
  return false;
}
const available = opensslAvailable();

let dir: string;
const ssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' });
const ec = (name: string) =>
  ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);

function ca(name: string, issuer?: string): void {
  if (issuer === undefined) {
    selfSignedCa(ssl, name, ',cRLSign');
  } else {
    ec(name);
    issue(name, issuer, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  }
}

function issue(name: string, issuer: string, ext: string, days = '30'): void {
  if (!existsSync(join(dir, `${name}.key`))) ec(name);
  ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${issuer}.pem`,
    '-CAkey',
    `${issuer}.key`,
    '-CAcreateserial',
    '-days',
    days,
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

/** The standard base64 DER of a PEM certificate (an x5c entry). */
const der = (name: string) => readFileSync(join(dir, `${name}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, '');
const pem = (name: string) => readFileSync(join(dir, `${name}.pem`), 'utf8');
const LEAF_EXT = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n';

beforeAll(() => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'jot-x5c-'));
  ca('root');
  ca('other');
  ca('inter', 'root');
  issue('leaf', 'root', LEAF_EXT);
  issue('deep', 'inter', LEAF_EXT);
  issue('enc', 'root', 'basicConstraints=CA:FALSE\nkeyUsage=critical,keyAgreement\n');
  issue('server', 'root', `${LEAF_EXT}extendedKeyUsage=serverAuth\n`);
  issue('stranger', 'other', LEAF_EXT);
  issue('notca', 'root', LEAF_EXT);
  issue('undernotca', 'notca', LEAF_EXT);
  ec('self');
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '30',
    '-subj',
    '/CN=root',
    '-addext',
    'basicConstraints=CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature',
  );
}, 60_000);
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('verifyCertificateChain', () => {
  const opts = () => ({ trustAnchors: [pem('root')], alg: 'ES256' });
  const refused = (x5c: unknown, o: Record<string, unknown> = {}) =>
    expect(() => verifyCertificateChain(x5c, { ...opts(), ...o })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );

  it('a chain to the test CA verifies, directly or through an intermediate; the key is bound to alg', async () => {
    const key = verifyCertificateChain([der('leaf')], opts());
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', isPrivate: false });
    expect(verifyCertificateChain([der('deep'), der('inter')], opts()).alg).toBe('ES256');
    expect(verifyCertificateChain([der('leaf'), der('root')], opts()).alg).toBe('ES256');
    expect(verifyCertificateChain([der('server')], { ...opts(), purpose: '1.3.6.1.5.5.7.3.1' }).alg).toBe('ES256');
  });

  it('refuses a self-signed leaf, another CA, an expired or wrong-usage certificate, and broken chains', () => {
    refused([der('self')]);
    refused([der('stranger')]);
    refused([der('stranger'), der('other')]);
    refused([der('leaf')], { at: new Date(Date.now() + 40 * 86_400_000) });
    refused([der('leaf')], { at: new Date(Date.now() - 86_400_000) });
    refused([der('enc')]);
    expect(() => verifyCertificateChain([der('enc')], opts())).toThrow(/key usage/);
    expect(() => verifyCertificateChain([der('self')], opts())).toThrow(/trust anchor/);
    expect(() =>
      verifyCertificateChain([der('leaf')], { ...opts(), at: new Date(Date.now() + 40 * 86_400_000) }),
    ).toThrow(/not valid at this time/);
    expect(() => verifyCertificateChain([der('undernotca'), der('notca')], opts())).toThrow(/not a CA/);
    refused([der('server')], { purpose: '1.3.6.1.5.5.7.3.2' });
    refused([der('root')]); // a CA as leaf
    refused([der('deep')]); // the intermediate is missing
    refused([der('undernotca'), der('notca')]); // issued by a certificate that is not a CA
    refused([der('leaf'), der('inter')]); // the next certificate did not issue the leaf
    refused([der('leaf')], { alg: 'RS256' });
    for (const bad of [
      [],
      'x',
      [1],
      ['@@@@'],
      [`${der('leaf').slice(0, 10)}-${der('leaf').slice(11)}`], // base64url, not base64 (always a '-', whatever the DER)
      [Buffer.from('junk').toString('base64')],
    ]) {
      refused(bad);
    }
    expect(() => verifyCertificateChain(Array(6).fill(der('leaf')), opts())).toThrow(
      expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }),
    );
    expect(() => verifyCertificateChain([der('leaf')], { ...opts(), trustAnchors: [] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('createX5cResolver verifies tokens whose x5c leads to an anchor, and only those', async () => {
    const leafKey = await importKey(readFileSync(join(dir, 'leaf.key'), 'utf8'), { alg: 'ES256' });
    const selfKey = await importKey(readFileSync(join(dir, 'self.key'), 'utf8'), { alg: 'ES256' });
    const resolver = createX5cResolver({ trustAnchors: [pem('root')], algorithms: ['ES256'] });
    const good = await signJwt({ sub: 'u' }, leafKey, { header: { x5c: [der('leaf')] } });
    expect((await verifyJwt(good, resolver, { algorithms: ['ES256'] })).payload.sub).toBe('u');
    const t = Buffer.from(der('leaf'), 'base64');
    const { createHash } = await import('node:crypto');
    const thumb = createHash('sha256').update(t).digest('base64url');
    const withThumb = await signJwt({}, leafKey, { header: { x5c: [der('leaf')], 'x5t#S256': thumb } });
    await expect(verifyJwt(withThumb, resolver, { algorithms: ['ES256'] })).resolves.toBeDefined();
    const badThumb = await signJwt({}, leafKey, { header: { x5c: [der('leaf')], 'x5t#S256': 'x'.repeat(43) } });
    await expect(verifyJwt(badThumb, resolver, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
    // A10: the attacker's self-signed certificate, and a valid chain with a signature by another key.
    const forged = await signJwt({ sub: 'admin' }, selfKey, { header: { x5c: [der('self')] } });
    await expect(verifyJwt(forged, resolver, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
    const swapped = await signJwt({ sub: 'admin' }, selfKey, { header: { x5c: [der('leaf')] } });
    await expect(verifyJwt(swapped, resolver, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    const none = await signJwt({}, leafKey);
    await expect(verifyJwt(none, resolver, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });
});

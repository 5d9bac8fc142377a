import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jwkThumbprint } from '../../src/key/export.js';
import { jot, scratch } from './_run.js';
import { json, serve } from './_server.js';

const FX = join(import.meta.dirname, 'fixtures');
const fx = (name: string) => join(FX, name);

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

const OPENSSL = '/usr/bin/openssl';
function opensslAvailable(): boolean {
  if (existsSync(OPENSSL)) return true;
  if (process.env.CI === 'true') throw new Error(`${OPENSSL} not found: install the Debian package openssl`);
  console.warn('skipping the openssl interop test: install the Debian package openssl');
  return false;
}

describe('jot keygen', () => {
  it('writes a private JWK 0600 and a public JWK, bound to the algorithm, kid = RFC 7638 thumbprint', async () => {
    const out = join(s.dir, 'k.jwk');
    const r = await jot(['keygen', 'ES256', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote private key .*k\.jwk \(0600\)\nwrote public key .*k\.jwk\.pub \(0644\)\nalg ES256, kid [\w-]{43}\n$/,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(`${out}.pub`).mode & 0o777).toBe(0o644);
    const priv = JSON.parse(readFileSync(out, 'utf8'));
    const pub = JSON.parse(readFileSync(`${out}.pub`, 'utf8'));
    expect(priv).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(priv.d).toBeTypeOf('string');
    expect(pub.d).toBeUndefined();
    expect(pub.kid).toBe(await jwkThumbprint(pub));
  });

  it('E13: refuses to overwrite a file or follow a planted link without --force; --force replaces the link itself', async () => {
    const out = join(s.dir, 'k.jwk');
    writeFileSync(out, 'keep me');
    const r = await jot(['keygen', 'EdDSA', '--out-private', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/k\.jwk exists: pass --force to overwrite it\n$/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const target = join(s.dir, 'victim.txt');
    writeFileSync(target, 'victim');
    const link = join(s.dir, 'link.jwk');
    symlinkSync(target, link);
    const dangling = join(s.dir, 'dangling.jwk');
    symlinkSync(join(s.dir, 'nowhere'), dangling);
    expect((await jot(['keygen', 'EdDSA', '--out-private', link])).code).toBe(2);
    expect((await jot(['keygen', 'EdDSA', '--out-private', dangling])).code).toBe(2);
    expect(existsSync(join(s.dir, 'nowhere'))).toBe(false);
    expect(readlinkSync(link)).toBe(target);
    const forced = await jot(['keygen', 'EdDSA', '--out-private', link, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('victim');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(statSync(link).mode & 0o777).toBe(0o600);
  });

  it('warns when the directory is writable by every user (no sticky bit)', async () => {
    const open = join(s.dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const r = await jot(['keygen', 'EdDSA', '--out', join(open, 'k.jwk')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: the directory of .*k\.jwk is writable by every user\n/);
    chmodSync(open, 0o1777);
    const sticky = await jot(['keygen', 'EdDSA', '--out', join(open, 'k2.jwk')]);
    expect(sticky.stderr).toBe('');
  });

  it('a dir content key: keygen ENC, then encrypt and decrypt with it', async () => {
    const cek = join(s.dir, 'cek.jwk');
    const k = await jot(['keygen', 'A256GCM', '--out-private', cek, '--json']);
    expect(JSON.parse(k.stdout)).toMatchObject({ alg: 'dir', written: [{ part: 'secret', mode: '0600' }] });
    const e = await jot(['encrypt', '--key', cek, '--sub', 's', '--exp', '1m']);
    const d = await jot(['decrypt', e.stdout.trim(), '--key', cek, '--json']);
    expect(JSON.parse(d.stdout)).toMatchObject({
      valid: true,
      header: { alg: 'dir', enc: 'A256GCM' },
      payload: { sub: 's' },
    });
  });

  it('PEM output, raw secrets, printing without files, bad arguments', async () => {
    const pem = join(s.dir, 'rsa.pem');
    expect((await jot(['keygen', 'RS256', '--format', 'pem', '--out', pem])).code).toBe(0);
    expect(readFileSync(pem, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(`${pem}.pub`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const raw = join(s.dir, 'hs.key');
    expect((await jot(['keygen', 'HS384', '--format', 'raw', '--out', raw])).code).toBe(0);
    expect(readFileSync(raw).length).toBe(48);
    expect(statSync(raw).mode & 0o777).toBe(0o600);
    const printed = await jot(['keygen', 'EdDSA', '--json']);
    expect(JSON.parse(printed.stdout)).toMatchObject({
      alg: 'EdDSA',
      privateKey: { kty: 'OKP', crv: 'Ed25519' },
      publicKey: { kty: 'OKP' },
    });
    const cases: [string[], RegExp][] = [
      [['keygen'], /an algorithm is required/],
      [['keygen', 'XX512'], /unknown algorithm "XX512"/],
      [['keygen', 'HS256', '--format', 'pem'], /a secret has no PEM form/],
      [['keygen', 'ES256', '--format', 'raw'], /--format raw is for secrets only/],
      [['keygen', 'HS256', '--out-public', join(s.dir, 'x')], /a secret has no public part/],
      [['keygen', 'ES256', '--out', join(s.dir, 'nodir', 'k')], /the directory of .* does not exist/],
      [['keygen', 'PBES2-HS256+A128KW'], /derives its key from a password: pass one with --secret-file/],
    ];
    for (const [argv, line] of cases) {
      const r = await jot(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(line);
    }
  });
});

describe('jot jwk', () => {
  it('RFC 7638 §3.1 thumbprint and RFC 9278 URI of the RFC example key', async () => {
    const file = join(s.dir, 'rfc7638.jwk');
    writeFileSync(
      file,
      JSON.stringify({
        kty: 'RSA',
        n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
        e: 'AQAB',
        alg: 'RS256',
        kid: '2011-04-29',
      }),
    );
    const t = await jot(['jwk', 'thumbprint', file]);
    expect(t.stdout).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\n');
    const u = await jot(['jwk', 'uri', file]);
    expect(u.stdout).toBe('urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\n');
    const j = await jot(['jwk', 'thumbprint', file, '--digest', 'sha512', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ action: 'thumbprint', digest: 'sha512' });
  });

  it('PEM -> JWK -> PEM round trip, public part, and openssl reads what jot writes', async () => {
    const jwk = await jot(['jwk', 'convert', fx('rsa.pem'), '--alg', 'RS256']);
    expect(jwk.code).toBe(0);
    const doc = JSON.parse(jwk.stdout);
    expect(doc).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(doc.d).toBeTypeOf('string');
    const jwkFile = join(s.dir, 'rsa.jwk');
    writeFileSync(jwkFile, jwk.stdout);
    const pem = await jot(['jwk', 'convert', jwkFile, '--to', 'pem']);
    expect(pem.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const pub = await jot(['jwk', 'public', jwkFile]);
    expect(JSON.parse(pub.stdout).d).toBeUndefined();
    const pubPem = await jot(['jwk', 'public', jwkFile, '--to', 'pem']);
    expect(pubPem.stdout).toBe(readFileSync(fx('rsa.pub.pem'), 'utf8'));
    // `jot jwk FILE` is convert
    expect((await jot(['jwk', fx('rsa.pub.pem')])).stdout).toContain('"kty": "RSA"');
    if (opensslAvailable()) {
      const pemFile = join(s.dir, 'out.pem');
      writeFileSync(pemFile, pem.stdout);
      const mod = execFileSync(OPENSSL, ['pkey', '-in', pemFile, '-pubout'], { encoding: 'utf8' });
      expect(mod).toBe(readFileSync(fx('rsa.pub.pem'), 'utf8'));
    }
  });

  it('bad input: no action, a set, a secret has no public part, unknown digest', async () => {
    const hs = join(s.dir, 'hs.jwk');
    await jot(['keygen', 'HS256', '--out-private', hs]);
    const set = join(s.dir, 'set.json');
    writeFileSync(set, JSON.stringify({ keys: [] }));
    const cases: [string[], RegExp][] = [
      [['jwk'], /an action is required: convert, public, thumbprint, uri/],
      [['jwk', 'thumbprint'], /a key file is required/],
      [['jwk', 'public', hs], /a secret key has no public part/],
      [['jwk', 'thumbprint', fx('es256.jwk'), '--digest', 'md5'], /--digest must be sha256, sha384 or sha512/],
      [['jwk', 'convert', set], /is a key set/],
      [['jwk', 'convert', fx('es256.jwk'), '--to', 'der'], /--to must be jwk or pem/],
    ];
    for (const [argv, line] of cases) {
      const r = await jot(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(line);
    }
  });
});

describe('jot jwks', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  const pub = () => JSON.parse(readFileSync(fx('ed25519.jwk.pub'), 'utf8'));
  beforeAll(async () => {
    server = await serve({});
  });
  afterAll(() => server.close());

  it('builds a public set from JWK and PEM files (kid defaults to the thumbprint; secrets refused)', async () => {
    const r = await jot(['jwks', 'build', fx('ed25519.jwk'), fx('rsa.pem')]);
    expect(r.code).toBe(0);
    const set = JSON.parse(r.stdout);
    expect(set.keys).toHaveLength(2);
    expect(set.keys[0]).toEqual(pub());
    expect(set.keys[1].d).toBeUndefined();
    expect(set.keys[1].kid).toBe(await jwkThumbprint(set.keys[1]));
    const hs = join(s.dir, 'hs.jwk');
    await jot(['keygen', 'HS256', '--out-private', hs]);
    const secret = await jot(['jwks', 'build', hs]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/is a secret key: a published key set holds public keys only/);
    const dup = await jot(['jwks', 'build', fx('ed25519.jwk'), fx('ed25519.jwk.pub')]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/two keys share the kid "test-ed25519"/);
  });

  it('fetches and lists a remote set, and discovers an issuer (loopback, --allow-http)', async () => {
    const issuer = server.url;
    const srv = await serve({
      '/jwks.json': json({ keys: [pub(), JSON.parse(readFileSync(fx('es256.jwk.pub'), 'utf8'))] }),
      '/.well-known/openid-configuration': (_q, res) =>
        res.end(JSON.stringify({ issuer: srvUrl(), jwks_uri: `${srvUrl()}/jwks.json` })),
      '/bad.json': json({ keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }] }),
      '/other/.well-known/openid-configuration': (_q, res) =>
        res.end(JSON.stringify({ issuer: srvUrl(), jwks_uri: `${srvUrl()}/jwks.json` })),
      '/mixed.json': json({ keys: [pub(), JSON.parse(readFileSync(fx('ed25519.jwk'), 'utf8'))] }),
    });
    let url = '';
    function srvUrl() {
      return url;
    }
    url = srv.url;
    try {
      const r = await jot(['jwks', `${url}/jwks.json`, '--allow-http']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^2 keys from http:\/\/127\.0\.0\.1:\d+\/jwks\.json\n {2}kid "test-ed25519" {2}OKP Ed25519 {2}EdDSA {2}thumbprint [\w-]{43}\n {2}kid "test-es256" {2}EC P-256 {2}ES256 {2}thumbprint/,
      );
      const d = await jot(['jwks', 'discover', url, '--allow-http', '--json']);
      expect(d.code).toBe(0);
      expect(JSON.parse(d.stdout)).toMatchObject({
        action: 'discover',
        jwksUri: `${url}/jwks.json`,
        keys: [{ kid: 'test-ed25519' }, { kid: 'test-es256' }],
      });
      const bad = await jot(['jwks', 'fetch', `${url}/bad.json`, '--allow-http']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^jot jwks: the key set holds no usable public key$/m);
      // A published private key is not used, and the listing says so.
      const mixed = await jot(['jwks', `${url}/mixed.json`, '--allow-http']);
      expect(mixed.code).toBe(0);
      expect(mixed.stdout).toMatch(/^1 key from /);
      expect(mixed.stdout).toMatch(/skipped keys\[1\] \(kid "test-ed25519"\): has private members/);
      const mixedJson = JSON.parse((await jot(['jwks', `${url}/mixed.json`, '--allow-http', '--json'])).stdout);
      expect(mixedJson.skipped).toEqual([{ index: 1, kid: 'test-ed25519', reason: 'private' }]);
      expect(mixedJson.jwks.keys).toHaveLength(1);
      expect(mixedJson.jwks.keys[0].d).toBeUndefined();
      // Discovery: a server without metadata (404 for OpenID, then for RFC 8414); metadata naming another issuer.
      const wrongIssuer = await jot(['jwks', 'discover', issuer, '--allow-http']);
      expect(wrongIssuer.code).toBe(1);
      expect(wrongIssuer.stderr).toMatch(/^jot jwks: http:\/\/127\.0\.0\.1:\d+ answered HTTP 404$/m);
      const mixUp = await jot(['jwks', 'discover', `${url}/other`, '--allow-http']);
      expect(mixUp.code).toBe(1);
      expect(mixUp.stderr).toMatch(/^jot jwks: the metadata names another issuer than the one asked for/);
      const big = await jot(['jwks', `${url}/jwks.json`, '--allow-http', '--max-bytes', '10']);
      expect(big.code).toBe(1);
      expect(big.stderr).toMatch(/larger than 10 bytes/);
      const noHttp = await jot(['jwks', 'discover', url]);
      expect(noHttp.code).toBe(2);
      expect(noHttp.stderr).toMatch(/refusing plain http/);
    } finally {
      await srv.close();
    }
  });
});

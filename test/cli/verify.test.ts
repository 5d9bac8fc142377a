import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKey } from '../../src/key/import.js';
import { signJwt } from '../../src/jwt/sign.js';
import { jot, NOW, scratch } from './_run.js';
import { json, serve } from './_server.js';

const FX = join(import.meta.dirname, 'fixtures');
const fx = (name: string) => join(FX, name);
const currentDate = new Date(NOW * 1000);
const b64 = (s: string) => Buffer.from(s).toString('base64url');

let edKey: Awaited<ReturnType<typeof importKey>>;
let esKey: Awaited<ReturnType<typeof importKey>>;
let token: string;

beforeAll(async () => {
  edKey = await importKey(JSON.parse(readFileSync(fx('ed25519.jwk'), 'utf8')));
  esKey = await importKey(JSON.parse(readFileSync(fx('es256.jwk'), 'utf8')));
  token = await signJwt({ scope: 'read' }, edKey, {
    issuer: 'https://id.example',
    audience: 'api',
    subject: 'u1',
    expiresIn: '15m',
    typ: 'at+jwt',
    currentDate,
  });
});

describe('jot verify', () => {
  it('accepts a valid token and lists what was checked', async () => {
    const r = await jot([
      'verify',
      token,
      '--key',
      fx('ed25519.jwk.pub'),
      '--iss',
      'https://id.example',
      '--aud',
      'api',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^valid {2}EdDSA, key "test-ed25519" from .*ed25519\.jwk\.pub\nchecked: signature, exp, nbf, iss, aud\n/,
    );
    expect(r.stdout).toContain('(expires in 15 min)');
  });

  it('says which claims were not checked', async () => {
    const r = await jot(['verify', token, '--key', fx('ed25519.jwk.pub')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not checked: iss, aud');
  });

  const rejections: [string, string[], RegExp, Record<string, string>?][] = [
    [
      'iss',
      ['--iss', 'https://other.example'],
      /^rejected: iss: expected "https:\/\/other\.example", found "https:\/\/id\.example"$/,
    ],
    ['aud', ['--aud', 'web', '--aud', 'admin'], /^rejected: aud: expected one of \["web","admin"\], found "api"$/],
    ['sub', ['--sub', 'u2'], /^rejected: sub: expected "u2", found "u1"$/],
    ['typ', ['--typ', 'JWT'], /^rejected: typ: expected "JWT", found "at\+jwt"$/],
    ['require', ['--require', 'jti'], /^rejected: jti: missing \(required\)$/],
    [
      'exp',
      [],
      /^rejected: exp: expired 3 h ago \(exp 2026-01-01T00:15:00Z, now 2026-01-01T03:15:00Z\)$/,
      { JOT_NOW: String(NOW + 3 * 3600 + 15 * 60) },
    ],
    [
      'exp with leeway',
      ['--leeway', '30s'],
      /^rejected: exp: expired .* leeway 30 s\)$/,
      { JOT_NOW: String(NOW + 3600) },
    ],
    [
      'max-age',
      ['--max-age', '5m'],
      /^rejected: iat: issued 10 min ago, more than --max-age 300 s$/,
      { JOT_NOW: String(NOW + 600) },
    ],
    ['iat in the future', [], /^rejected: iat: issued 60 min in the future$/, { JOT_NOW: String(NOW - 3600) }],
    [
      'signature',
      ['--key', fx('ed25519.jwk.pub').replace('ed25519', 'es256')],
      /^rejected: alg: the token's "EdDSA" is not allowed \(accepted: ES256\)$/,
    ],
  ];
  for (const [name, args, line, env] of rejections) {
    it(`explains a ${name} failure in one line and exits 1`, async () => {
      const hasKey = args.includes('--key');
      const r = await jot(
        ['verify', token, ...(hasKey ? [] : ['--key', fx('ed25519.jwk.pub')]), ...args],
        env ? { env } : {},
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toMatch(line);
    });
  }

  it('explains an nbf failure', async () => {
    const early = await signJwt({}, edKey, { currentDate, notBefore: '2h', expiresIn: '3h' });
    const r = await jot(['verify', early, '--key', fx('ed25519.jwk.pub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'rejected: nbf: not valid for another 2 h (nbf 2026-01-01T02:00:00Z, now 2026-01-01T00:00:00Z)\n',
    );
  });

  it('a forged signature and an unknown kid are explained', async () => {
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.alloc(64, 1).toString('base64url')}`;
    const r = await jot(['verify', forged, '--key', fx('ed25519.jwk.pub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rejected: signature: does not verify with .*ed25519\.jwk\.pub\n$/);
    const s = scratch();
    try {
      const set = join(s.dir, 'set.json');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(set, JSON.stringify({ keys: [JSON.parse(readFileSync(fx('es256.jwk.pub'), 'utf8'))] }));
      const k = await jot(['verify', token, '--key', set]);
      expect(k.code).toBe(1);
      expect(k.stderr).toMatch(/^rejected: kid: no key in .*set\.json matches kid "test-ed25519" and alg "EdDSA"\n$/);
    } finally {
      s.cleanup();
    }
  });

  it('--json reports code, claim and reason', async () => {
    const r = await jot(['verify', '--json', token, '--key', fx('ed25519.jwk.pub'), '--aud', 'web']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      valid: false,
      error: { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud', reason: 'mismatch' },
    });
    const ok = JSON.parse((await jot(['verify', '--json', token, '--key', fx('ed25519.jwk.pub')])).stdout);
    expect(ok).toMatchObject({ valid: true, alg: 'EdDSA', kid: 'test-ed25519', payload: { sub: 'u1' } });
  });

  it('a PEM RSA key needs --alg; the HS256-with-the-public-key confusion is refused', async () => {
    // The classic confusion token: HS256 with the RSA public key's PEM text as the HMAC secret.
    const pem = readFileSync(fx('rsa.pub.pem'), 'utf8');
    const input = `${b64(JSON.stringify({ alg: 'HS256' }))}.${b64(JSON.stringify({ sub: 'x', exp: NOW + 60 }))}`;
    const hs = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    const noAlg = await jot(['verify', hs, '--key', fx('rsa.pub.pem')]);
    expect(noAlg.code).toBe(2);
    expect(noAlg.stderr).toMatch(/does not name its algorithm: pass --alg/);
    const r = await jot(['verify', hs, '--key', fx('rsa.pub.pem'), '--alg', 'RS256']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rejected: alg: the token's "HS256" is not allowed \(accepted: RS256\)/);
  });

  it('secrets come from --secret-file, --secret-env, or --secret with a warning', async () => {
    const secret = readFileSync(fx('hs256.secret'));
    const hs = await signJwt({ sub: 'x' }, await importKey(new Uint8Array(secret), { alg: 'HS256' }), {
      currentDate,
      expiresIn: 60,
    });
    const file = await jot(['verify', hs, '--secret-file', fx('hs256.secret')]);
    expect(file.code).toBe(0);
    expect(file.stderr).toBe('');
    const env = await jot(['verify', hs, '--secret-env', 'MY_SECRET'], { env: { MY_SECRET: secret.toString() } });
    expect(env.code).toBe(0);
    const arg = await jot(['verify', hs, '--secret', secret.toString()]);
    expect(arg.code).toBe(0);
    expect(arg.stderr).toMatch(/^warning: --secret is visible to other users \(ps\) and kept in shell history/);
    const unset = await jot(['verify', hs, '--secret-env', 'NOPE']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toBe('jot verify: environment variable NOPE is not set\n');
    const both = await jot(['verify', hs, '--secret-file', fx('hs256.secret'), '--secret-env', 'X']);
    expect(both.code).toBe(2);
  });

  // Regression: a raw secret whose last byte is 0x0a (one `jot keygen --format raw` in 256) lost that byte to the
  // newline trimming, and a 32-byte HS256 secret became too short. Text secrets still drop their newline.
  it('--secret-file takes a binary secret whole and drops one trailing newline from a text secret', async () => {
    const s = scratch();
    try {
      const { writeFileSync } = await import('node:fs');
      const binary = new Uint8Array(32).map((_, i) => (i * 37 + 200) & 0xff);
      binary[31] = 0x0a;
      const bin = join(s.dir, 'bin.key');
      writeFileSync(bin, binary);
      const t1 = await signJwt({ sub: 'x' }, await importKey(binary, { alg: 'HS256' }), { currentDate, expiresIn: 60 });
      const r1 = await jot(['verify', t1, '--secret-file', bin, '--alg', 'HS256']);
      expect(r1.stderr).toBe('');
      expect(r1.code).toBe(0);
      const text = new TextEncoder().encode('a text secret of more than thirty-two bytes');
      const txt = join(s.dir, 'text.key');
      writeFileSync(txt, `${new TextDecoder().decode(text)}\r\n`);
      const t2 = await signJwt({ sub: 'x' }, await importKey(text, { alg: 'HS256' }), { currentDate, expiresIn: 60 });
      const r2 = await jot(['verify', t2, '--secret-file', txt, '--alg', 'HS256']);
      expect(r2.stderr).toBe('');
      expect(r2.code).toBe(0);
    } finally {
      s.cleanup();
    }
  });

  it('bad input: garbage token 1, missing key file 2, wrong key file 2, bad flag 2, no key 2; never a stack', async () => {
    const cases: [string[], number, RegExp][] = [
      [['verify', 'garbage', '--key', fx('ed25519.jwk.pub')], 1, /^rejected: format: /],
      [
        ['verify', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn', '--key', fx('ed25519.jwk.pub')],
        1,
        /^rejected: format: this is a JWE \(five segments\): use jot decrypt$/,
      ],
      [
        ['verify', token, '--key', '/nonexistent/key.jwk'],
        2,
        /^jot verify: cannot read key file \/nonexistent\/key\.jwk: no such file$/,
      ],
      [['verify', token, '--key', fx('hs256.secret')], 2, /is not a JWK, JWKS or PEM key/],
      [
        ['verify', token, '--key', fx('ed25519.jwk.pub'), '--frobnicate'],
        2,
        /^jot verify: unknown option '--frobnicate' \(see --help\)$/,
      ],
      [['verify', token], 2, /^jot verify: a key is required/],
      [['verify', token, '--key', fx('ed25519.jwk.pub'), '--max-age', 'soon'], 2, /--max-age is not a duration/],
      [['verify', token, '--key', fx('ed25519.jwk.pub'), '--alg', 'HS999'], 2, /unknown signature algorithm "HS999"/],
      [['frobnicate'], 2, /^jot: unknown command "frobnicate"/],
    ];
    for (const [argv, code, line] of cases) {
      const r = await jot(argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(line);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help shows usage, options and examples, exit 0', async () => {
    const r = await jot(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^jot verify: /);
    expect(r.stdout).toContain('--max-age DURATION');
    expect(r.stdout).toContain('Examples:');
  });
});

describe('jot verify --jwks (loopback server)', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const pub = JSON.parse(readFileSync(fx('ed25519.jwk.pub'), 'utf8'));
    const big = { keys: [pub], pad: 'x'.repeat(2 << 20) };
    server = await serve({
      '/jwks.json': json({ keys: [pub, JSON.parse(readFileSync(fx('es256.jwk.pub'), 'utf8'))] }),
      '/big.json': json(big),
      '/redirect': (_q, res) => res.writeHead(302, { location: '/jwks.json' }).end(),
      '/loop': (_q, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/slow': () => {},
      '/error': json({ error: 'x' }, 500),
      '/notjson': (_q, res) => res.end('<html>'),
    });
  });
  afterAll(() => server.close());

  it('verifies against a fetched set (--allow-http for the loopback server)', async () => {
    const r = await jot(['verify', token, '--jwks', `${server.url}/jwks.json`, '--allow-http', '--aud', 'api']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/key "test-ed25519" from http:\/\/127\.0\.0\.1:\d+\/jwks\.json/);
  });

  it('refuses plain http without --allow-http (exit 2), and bounds size, time, redirects and status', async () => {
    const http = await jot(['verify', token, '--jwks', `${server.url}/jwks.json`]);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/refusing plain http \(127\.0\.0\.1:\d+\): use https, or --allow-http/);
    // The library's bounds (createRemoteJwkSet): 512 KiB, at most 3 redirects, 200 only, strict JSON.
    const cases: [string, RegExp][] = [
      ['/big.json', /^jot verify: the response from http:\/\/127\.0\.0\.1:\d+ is larger than 524288 bytes$/],
      ['/loop', /^jot verify: http:\/\/127\.0\.0\.1:\d+: too many redirects$/],
      ['/error', /^jot verify: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500$/],
      ['/notjson', /^jot verify: .*JWKS/],
    ];
    for (const [path, line] of cases) {
      const r = await jot(['verify', token, '--jwks', `${server.url}${path}`, '--allow-http']);
      expect(r.code, path).toBe(1);
      expect(r.stderr.trimEnd(), path).toMatch(line);
    }
    // A redirect within bounds is followed.
    const redirected = await jot(['verify', token, '--jwks', `${server.url}/redirect`, '--allow-http']);
    expect(redirected.stderr).toBe('');
    expect(redirected.code).toBe(0);
    const slow = await jot(['verify', token, '--jwks', `${server.url}/slow`, '--allow-http', '--timeout', '1s']);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(/^jot verify: http:\/\/127\.0\.0\.1:\d+ did not answer in time/);
    const tooLong = await jot(['verify', token, '--jwks', `${server.url}/slow`, '--allow-http', '--timeout', '1h']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/--timeout must be between 1 ms and 120 s/);
    // A port nobody listens on (a server's, closed): the refused connection is named.
    const gone = await serve({});
    const goneUrl = gone.url;
    await gone.close();
    const closed = await jot(['verify', token, '--jwks', `${goneUrl}/jwks.json`, '--allow-http']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^jot verify: fetching from http:\/\/127\.0\.0\.1:\d+ failed \(ECONNREFUSED\)/);
    const ftp = await jot(['verify', token, '--jwks', 'ftp://127.0.0.1/jwks.json']);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toMatch(/must be an https: URL, not ftp:/);
  });

  it('the CLI verifies a token from the library signed with another key of the set (ES256)', async () => {
    const t = await signJwt({ sub: 'x' }, esKey, { currentDate, expiresIn: 60 });
    const r = await jot(['verify', t, '--jwks', `${server.url}/jwks.json`, '--allow-http']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('key "test-es256"');
  });
});

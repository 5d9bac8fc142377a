import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptJwt, encryptJwt } from '../../src/jwt/encrypted.js';
import { signJwt } from '../../src/jwt/sign.js';
import { verifyJwt } from '../../src/jwt/verify.js';
import { importKey } from '../../src/key/import.js';
import { jot, NOW, scratch } from './_run.js';

const FX = join(import.meta.dirname, 'fixtures');
const fx = (name: string) => join(FX, name);
const currentDate = new Date(NOW * 1000);
const readJwk = (name: string) => JSON.parse(readFileSync(fx(name), 'utf8'));

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

describe('jot sign', () => {
  it('signs claims from --claims with --exp, --sub, --aud, --iss, --kid, --jti; the library verifies it', async () => {
    const args = [
      'sign',
      '--key',
      fx('ed25519.jwk'),
      '--claims',
      '{"scope":"read","n":1}',
      '--exp',
      '15m',
      '--sub',
      'u1',
      '--aud',
      'api',
      '--iss',
      'https://id.example',
      '--kid',
      'other-kid',
      '--jti',
      'j-1',
      '--typ',
      'at+jwt',
    ];
    const r = await jot(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    const key = await importKey(readJwk('ed25519.jwk.pub'));
    const v = await verifyJwt(token, key, {
      issuer: 'https://id.example',
      audience: 'api',
      typ: 'at+jwt',
      currentDate,
    });
    expect(v.payload).toEqual({
      scope: 'read',
      n: 1,
      sub: 'u1',
      aud: 'api',
      iss: 'https://id.example',
      jti: 'j-1',
      iat: NOW,
      exp: NOW + 900,
    });
    expect(v.protectedHeader).toMatchObject({ alg: 'EdDSA', kid: 'other-kid', typ: 'at+jwt' });
    // Ed25519 is deterministic: the same input gives the same token.
    const again = await jot(args);
    expect(again.stdout).toBe(r.stdout);
  });

  it('reads claims from @FILE and from standard input', async () => {
    const file = join(s.dir, 'claims.json');
    writeFileSync(file, '{"from":"file"}');
    const a = await jot(['sign', '--key', fx('es256.jwk'), '--claims', `@${file}`, '--json']);
    expect(JSON.parse(a.stdout).payload).toMatchObject({ from: 'file', iat: NOW });
    const b = await jot(['sign', '--key', fx('es256.jwk'), '--claims', '-', '--no-iat', '--json'], {
      stdin: '{"from":"stdin"}',
    });
    expect(JSON.parse(b.stdout).payload).toEqual({ from: 'stdin' });
    expect(JSON.parse(b.stdout).header).toMatchObject({ alg: 'ES256', kid: 'test-es256', typ: 'JWT' });
  });

  it('--exp accepts an ISO date; --jti random makes one', async () => {
    const r = await jot([
      'sign',
      '--key',
      fx('es256.jwk'),
      '--exp',
      '2026-01-02T00:00:00Z',
      '--jti',
      'random',
      '--json',
    ]);
    const p = JSON.parse(r.stdout).payload;
    expect(p.exp).toBe(NOW + 86400);
    expect(p.jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('signs with a secret (HS256 by default) and a PEM key with --alg; jose verifies both', async () => {
    const hs = await jot(['sign', '--secret-file', fx('hs256.secret'), '--sub', 'x']);
    expect(hs.code).toBe(0);
    const secret = new Uint8Array(readFileSync(fx('hs256.secret')));
    const v1 = await jose.jwtVerify(hs.stdout.trim(), secret, { algorithms: ['HS256'], currentDate });
    expect(v1.payload.sub).toBe('x');
    const rs = await jot(['sign', '--key', fx('rsa.pem'), '--alg', 'PS256', '--sub', 'y']);
    expect(rs.code).toBe(0);
    const pub = await jose.importSPKI(readFileSync(fx('rsa.pub.pem'), 'utf8'), 'PS256');
    const v2 = await jose.jwtVerify(rs.stdout.trim(), pub, { currentDate });
    expect(v2.protectedHeader.alg).toBe('PS256');
  });

  it('an oct JWK without alg signs HS256 and verifies as HMAC only', async () => {
    const file = join(s.dir, 'oct.jwk');
    writeFileSync(file, JSON.stringify({ kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') }));
    const t = await jot(['sign', '--key', file, '--sub', 'a', '--json']);
    expect(JSON.parse(t.stdout).header.alg).toBe('HS256');
    expect((await jot(['verify', JSON.parse(t.stdout).token, '--key', file])).code).toBe(0);
  });

  it('refuses what cannot sign: a public key, a PEM RSA key without --alg, bad claims, a short secret', async () => {
    const cases: [string[], number, RegExp, string?][] = [
      [['sign', '--key', fx('es256.jwk.pub')], 2, /holds a public key: signing needs the private key/],
      [['sign', '--key', fx('rsa.pem')], 2, /does not name its algorithm: pass --alg/],
      [['sign', '--key', fx('es256.jwk'), '--claims', '{nope'], 2, /claims from --claims are not valid JSON/],
      [['sign', '--key', fx('es256.jwk'), '--claims', '[1]'], 2, /must be a JSON object/],
      [
        ['sign', '--key', fx('es256.jwk'), '--claims', '@/nonexistent.json'],
        2,
        /cannot read claims file \/nonexistent\.json: no such file/,
      ],
      [
        ['sign', '--key', fx('es256.jwk'), '--exp', 'tomorrowish'],
        2,
        /--exp must be Unix seconds, an ISO date or a duration/,
      ],
      [['sign', '--secret-env', 'S'], 1, /HS256 needs a secret of at least 32 bytes/, 'short'],
      [['sign', '--key', fx('es256.jwk'), 'extra'], 2, /too many arguments/],
    ];
    for (const [argv, code, line, secret] of cases) {
      const r = await jot(argv, secret ? { env: { S: secret } } : {});
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(line);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('jot encrypt / decrypt', () => {
  it('round-trips through the CLI and with the library in both directions', async () => {
    const kp = await jot(['keygen', 'ECDH-ES+A256KW', '--out', join(s.dir, 'enc.jwk')]);
    expect(kp.code).toBe(0);
    const e = await jot([
      'encrypt',
      '--key',
      join(s.dir, 'enc.jwk.pub'),
      '--claims',
      '{"secret":"plans"}',
      '--exp',
      '5m',
      '--sub',
      'u1',
    ]);
    expect(e.code).toBe(0);
    const jwe = e.stdout.trim();
    expect(jwe.split('.')).toHaveLength(5);
    const d = await jot(['decrypt', jwe, '--key', join(s.dir, 'enc.jwk'), '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({
      valid: true,
      payload: { secret: 'plans', sub: 'u1', exp: NOW + 300 },
      header: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
    });
    // CLI -> library
    const priv = await importKey(JSON.parse(readFileSync(join(s.dir, 'enc.jwk'), 'utf8')));
    const lib = await decryptJwt(jwe, priv, { keyManagementAlgorithms: ['ECDH-ES+A256KW'], currentDate });
    expect(lib.payload.secret).toBe('plans');
    // library -> CLI
    const pub = await importKey(JSON.parse(readFileSync(join(s.dir, 'enc.jwk.pub'), 'utf8')));
    const fromLib = await encryptJwt({ hello: 'cli' }, pub, {
      alg: 'ECDH-ES+A256KW',
      enc: 'A128GCM',
      currentDate,
      expiresIn: 60,
    });
    const d2 = await jot(['decrypt', fromLib, '--key', join(s.dir, 'enc.jwk')]);
    expect(d2.code).toBe(0);
    expect(d2.stdout).toContain('"hello": "cli"');
  });

  it('a wrong key, a signature key and an expired token are rejected in one line', async () => {
    await jot(['keygen', 'A256KW', '--out-private', join(s.dir, 'kw.jwk')]);
    await jot(['keygen', 'A256KW', '--out-private', join(s.dir, 'kw2.jwk')]);
    const e = await jot(['encrypt', '--key', join(s.dir, 'kw.jwk'), '--exp', '1m']);
    const jwe = e.stdout.trim();
    const wrong = await jot(['decrypt', jwe, '--key', join(s.dir, 'kw2.jwk')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^rejected: decryption: fails with .*kw2\.jwk\n$/);
    const sig = await jot(['decrypt', jwe, '--key', fx('es256.jwk')]);
    expect(sig.code).toBe(2);
    expect(sig.stderr).toMatch(/is bound to ES256, not to a key management algorithm/);
    const late = await jot(['decrypt', jwe, '--key', join(s.dir, 'kw.jwk')], { env: { JOT_NOW: String(NOW + 3600) } });
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^rejected: exp: expired 59 min ago/);
  });

  it('library-signed tokens verify in the CLI and CLI-signed tokens in the library (every key family)', async () => {
    for (const alg of ['ES384', 'EdDSA', 'PS256', 'HS512']) {
      const out = join(s.dir, `${alg}.jwk`);
      const k = await jot(['keygen', alg, alg === 'HS512' ? '--out-private' : '--out', out]);
      expect(k.code, alg).toBe(0);
      const priv = await importKey(JSON.parse(readFileSync(out, 'utf8')));
      const pubFile = alg === 'HS512' ? out : `${out}.pub`;
      const pub = await importKey(JSON.parse(readFileSync(pubFile, 'utf8')));
      const t1 = await signJwt({ who: 'lib' }, priv, { currentDate, expiresIn: 60 });
      const v = await jot(['verify', t1, '--key', pubFile, '--json']);
      expect(JSON.parse(v.stdout).payload.who, alg).toBe('lib');
      const t2 = (await jot(['sign', '--key', out, '--claims', '{"who":"cli"}', '--exp', '1m'])).stdout.trim();
      expect((await verifyJwt(t2, pub, { currentDate })).payload.who, alg).toBe('cli');
    }
  });
});

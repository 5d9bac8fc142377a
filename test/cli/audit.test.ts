import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhn } from '../../src/audit/data.js';
import { jot, NOW, scratch } from './_run.js';

const FX = join(import.meta.dirname, 'fixtures');
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (header: object, claims: object, secret: string) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const good = { iss: 'https://id.example', aud: 'api', sub: 'u1', iat: NOW, exp: NOW + 900 };
const RANDOM = 'k2P9vQx7Lm4Zr8Tn1Wb6Yc3Hd5Jf0GsA';

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

async function ids(argv: string[], options = {}) {
  const r = await jot(['audit', '--json', ...argv], options);
  const doc = JSON.parse(r.stdout);
  return { code: r.code, ids: doc.findings.map((f: { id: string }) => f.id) as string[], doc, stderr: r.stderr };
}

describe('jot audit', () => {
  it('A13: finds the jwt.io secret in the bundled list; text has severity and a fix per finding', async () => {
    const r = await jot(['audit', JWT_IO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'HIGH    the HMAC secret is "your-256-bit-secret" (found in the bundled list of well-known secrets)',
    );
    expect(r.stdout).toMatch(/\n {8}fix: rotate to a random secret/);
    expect(r.stdout).toMatch(/5 findings: 2 high, 1 medium, 1 low, 1 info\n$/);
    expect(r.stderr).toBe('');
  });

  it('a well-formed token with a strong secret has no high finding (exit 0)', async () => {
    const r = await ids([hs256({ alg: 'HS256', typ: 'at+jwt' }, good, RANDOM)]);
    expect(r.ids).toEqual(['alg-symmetric']);
    expect(r.code).toBe(0);
    expect(r.doc.crack).toMatchObject({ tried: 214, stopped: false });
  });

  it('alg none, no exp, long lifetime, missing aud/iss/typ, oversized token', async () => {
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`;
    expect((await ids([none])).ids).toEqual(
      expect.arrayContaining(['alg-none', 'no-exp', 'no-aud', 'no-iss', 'no-typ']),
    );
    const long = hs256({ alg: 'HS256', typ: 'JWT' }, { ...good, exp: NOW + 30 * 86400 }, RANDOM);
    const l = await ids([long]);
    expect(l.ids).toContain('long-lifetime');
    expect(l.doc.findings.find((f: { id: string }) => f.id === 'long-lifetime').message).toBe(
      'lifetime 30 d (exp - iat) exceeds 24 h',
    );
    expect((await ids([long, '--max-lifetime', '60d'])).ids).not.toContain('long-lifetime');
    const big = hs256({ alg: 'HS256', typ: 'JWT' }, { ...good, pad: 'x'.repeat(9000) }, RANDOM);
    expect((await ids([big])).ids).toContain('oversized');
    expect((await ids([big, '--max-size', '20000'])).ids).not.toContain('oversized');
  });

  it('kid like a path, SQL or a URL; jku, x5u, jwk and x5c headers', async () => {
    const t = (h: object) => hs256({ alg: 'HS256', typ: 'JWT', ...h }, good, RANDOM);
    expect((await ids([t({ kid: '../../../../dev/null' })])).ids).toContain('kid-path');
    expect((await ids([t({ kid: "x' UNION SELECT 'key" })])).ids).toContain('kid-sql');
    expect((await ids([t({ kid: 'https://evil.example/k' })])).ids).toContain('kid-url');
    expect((await ids([t({ kid: 'key-2026-01' })])).ids).not.toEqual(expect.arrayContaining(['kid-path']));
    const h = await ids([
      t({ jku: 'https://evil.example/jwks', x5u: 'https://evil.example/c', jwk: { kty: 'oct' }, x5c: ['MII'] }),
    ]);
    expect(h.ids).toEqual(expect.arrayContaining(['header-jku', 'header-x5u', 'header-jwk', 'header-x5c']));
    expect(h.code).toBe(1);
  });

  it('personal data and secrets in claims: email, Luhn-valid card numbers, password-like names', async () => {
    const t = hs256(
      { alg: 'HS256', typ: 'JWT' },
      {
        ...good,
        email: 'ada@example.com',
        profile: { card: '4111 1111 1111 1111' },
        notCard: '4111 1111 1111 1112',
        db_password: 'x',
        items: [{ apiKey: 'k' }],
      },
      RANDOM,
    );
    const r = await ids([t]);
    const msgs = r.doc.findings.map((f: { id: string; message: string }) => `${f.id}: ${f.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        'pii-email: an email address in $.email',
        'pii-card: a payment card number in $.profile.card',
        'secret-claim: a secret-looking claim $.db_password',
        'secret-claim: a secret-looking claim $.items[0].apiKey',
      ]),
    );
    expect(msgs.filter((m: string) => m.startsWith('pii-card'))).toHaveLength(1);
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
  });

  it('--wordlist FILE extends the search; --secret-file checks the signature and rates the secret', async () => {
    const t = hs256({ alg: 'HS256', typ: 'JWT' }, good, 'correct horse battery staple');
    const list = join(s.dir, 'words.txt');
    writeFileSync(list, 'alpha\r\nbeta\n\ncorrect horse battery staple\ngamma');
    const r = await ids([t, '--wordlist', list]);
    expect(r.ids[0]).toBe('weak-secret');
    expect(r.doc.crack).toMatchObject({ found: 'correct horse battery staple', foundIn: list, tried: 214 + 3 });
    const secretFile = join(s.dir, 'secret.txt');
    writeFileSync(secretFile, 'correct horse battery staple\n');
    const withSecret = await ids([t, '--secret-file', secretFile]);
    expect(withSecret.ids).toEqual(expect.arrayContaining(['signature-ok', 'secret-short']));
    expect(withSecret.doc.crack).toBeUndefined();
    const other = await ids([t, '--secret-file', join(FX, 'hs256.secret')]);
    expect(other.ids).toContain('signature-bad');
    const missing = await jot(['audit', t, '--wordlist', join(s.dir, 'none.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read wordlist .*none\.txt: no such file/);
  });

  it('--key checks the signature of an asymmetric token', async () => {
    const signed = await jot(['sign', '--key', join(FX, 'es256.jwk'), '--aud', 'api', '--iss', 'x', '--exp', '5m']);
    const token = signed.stdout.trim();
    expect((await ids([token, '--key', join(FX, 'es256.jwk.pub')])).ids).toContain('signature-ok');
    const bad = await ids([token, '--key', join(FX, 'ed25519.jwk.pub')]);
    expect(bad.ids).toContain('signature-bad');
    expect(bad.code).toBe(1);
  });

  it('rates a secret on its own: short, low entropy, well known; a random 32-byte secret passes', async () => {
    const weak = join(s.dir, 'weak');
    writeFileSync(weak, 'secret\n');
    const w = await ids(['--secret-file', weak]);
    expect(w.ids).toEqual(['secret-known', 'secret-short', 'secret-entropy']);
    expect(w.code).toBe(1);
    const strong = await ids(['--secret-file', join(FX, 'hs256.secret')]);
    expect(strong.ids).toEqual([]);
    expect(strong.code).toBe(0);
    expect((await jot(['audit'])).code).toBe(2);
  });

  it('a JWE is audited by its header; a malformed token is a high finding', async () => {
    const jwe = `${b64({ alg: 'RSA1_5', enc: 'A128GCM', zip: 'DEF', jku: 'https://x' })}.a.b.c.d`;
    expect((await ids([jwe])).ids).toEqual(['header-jku', 'alg-rsa1_5', 'jwe-zip', 'jwe-claims']);
    const bad = await ids(['a.b']);
    expect(bad.ids).toEqual(['malformed']);
    expect(bad.code).toBe(1);
  });

  it('progress bar, rate and estimate on a TTY only; Ctrl-C stops cleanly and reports what was tried', async () => {
    const list = join(s.dir, 'big.txt');
    writeFileSync(list, Array.from({ length: 300_000 }, (_, i) => `candidate-${i}`).join('\n'));
    const t = hs256({ alg: 'HS256', typ: 'JWT' }, good, RANDOM);
    const piped = await jot(['audit', t, '--wordlist', list, '--no-wordlist'], {});
    expect(piped.stderr).toBe('');
    const pipe = await jot(['audit', t, '--wordlist', list]);
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).toContain(`secret search: ${214 + 300_000} candidates tried (bundled, ${list}), none matched`);
    // On a TTY: frames with \r, a bar, a rate and an estimate; Ctrl-C (the interrupt handler) after the first wordlist frame.
    let interrupt: (() => void) | undefined;
    const r = await jot(['audit', t, '--wordlist', list], {
      tty: true,
      env: { NO_COLOR: '1' },
      onInterrupt: (h) => {
        interrupt = h;
        return () => {
          interrupt = undefined;
        };
      },
      onStderr: (text) => {
        if (text.includes('\rwordlist [') && text.includes('tried')) interrupt?.();
      },
    });
    expect(r.stderr).toMatch(/\rbundled list \[#{24}\] 100% {2}214 tried {2}[\d.]+[kM]?\/s {2}done\u001b\[K\n/);
    expect(r.stderr).toMatch(/\rwordlist \[[#-]{24}\] +\d+% {2}[\d,]+ tried/);
    expect(r.stdout).toMatch(/secret search: [\d]+ candidates tried \(bundled, .*big\.txt\), stopped/);
    expect(r.stdout).toMatch(/INFO {4}secret search stopped after \d+ candidates/);
    const tried = Number(/secret search: (\d+)/.exec(r.stdout)![1]);
    expect(tried).toBeLessThan(214 + 300_000);
    expect(r.code).toBe(0);
    expect(interrupt).toBeUndefined();
  });
});

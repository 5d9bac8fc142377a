import { describe, expect, it } from 'vitest';
import { b64uEncodeText } from '../../src/encoding/base64url.js';
import { jot, NOW } from './_run.js';

const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

const unsigned = (header: object, claims: object) =>
  `${b64uEncodeText(JSON.stringify(header))}.${b64uEncodeText(JSON.stringify(claims))}.c2ln`;

describe('jot decode', () => {
  it('prints header and claims with ISO and relative times, and says nothing was verified', async () => {
    const token = unsigned(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'u1', iat: NOW - 3 * 3600, exp: NOW + 14 * 60, nbf: NOW - 10 },
    );
    const r = await jot(['decode', token]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"exp": 1767226440,  // 2026-01-01T00:14:00Z (expires in 14 min)');
    expect(r.stdout).toContain('"iat": 1767214800,  // 2025-12-31T21:00:00Z (issued 3 h ago)');
    expect(r.stdout).toContain('valid since 10 s ago');
    expect(r.stdout).toMatch(/Not verified/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('says "expired 3 h ago" for an expired token', async () => {
    const r = await jot(['decode', unsigned({ alg: 'ES256' }, { exp: NOW - 3 * 3600 })]);
    expect(r.stdout).toContain('(expired 3 h ago)');
  });

  it('reads the token from standard input with -', async () => {
    const r = await jot(['decode', '-'], { stdin: `  ${JWT_IO}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"name": "John Doe"');
  });

  it('--json gives the exact header and claims and verified: false', async () => {
    const r = await jot(['decode', '--json', JWT_IO]);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ type: 'JWS', header: { alg: 'HS256', typ: 'JWT' }, verified: false });
    expect(doc.payload).toEqual({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
    expect(doc.times.iat.iso).toBe('2018-01-18T01:30:22Z');
  });

  it('shows a JWE protected header and says the claims are encrypted', async () => {
    const h = b64uEncodeText(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'k1' }));
    const r = await jot(['decode', `${h}..aXY.Y2lwaGVy.dGFn`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Protected header (JWE)');
    expect(r.stdout).toContain('"enc": "A256GCM"');
    expect(r.stdout).toContain('claims are encrypted');
  });

  it('E12: control characters, OSC 52, carriage returns and bidi overrides are escaped in text output', async () => {
    const evil = '\u001b]52;c;ZXZpbA==\u0007\u001b[2J\rroot\u202eoll\u0085';
    const token = unsigned({ alg: 'HS256', kid: '\u001b[31mred' }, { name: evil, 'k\u001b[1m': 1 });
    const r = await jot(['decode', token]);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout).toContain('\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J\\rroot\\u202eoll\\x85');
    expect(r.stdout).toContain('"\\u001b[31mred"');
    // --json stays exact JSON: the value round-trips.
    const j = await jot(['decode', '--json', token]);
    expect(JSON.parse(j.stdout).payload.name).toBe(evil);
    expect(j.stdout).not.toMatch(/[\u001b\u0007\r]/);
  });

  it('colours on a TTY only; NO_COLOR turns them off', async () => {
    const tty = await jot(['decode', JWT_IO], { tty: true });
    expect(tty.stdout).toMatch(/\u001b\[36m"alg"\u001b\[39m/);
    const noColor = await jot(['decode', JWT_IO], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    const dumb = await jot(['decode', JWT_IO], { tty: true, env: { TERM: 'dumb' } });
    expect(dumb.stdout).not.toMatch(/\u001b\[/);
  });

  it('a garbage token is one line on standard error and exit 1; no token is a usage error', async () => {
    const r = await jot(['decode', 'not-a-token']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^jot decode: /);
    const none = await jot(['decode']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a token is required/);
    const empty = await jot(['decode', '-'], { stdin: '\n' });
    expect(empty.code).toBe(2);
  });

  it('--json errors are JSON too', async () => {
    const r = await jot(['decode', '--json', 'a.b']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('ERR_JWT_INVALID');
  });
});

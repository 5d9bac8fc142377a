import { describe, expect, it } from 'vitest';
import { auditToken } from '../../src/audit/index.js';
import { JotError } from '../../src/errors.js';
import { encryptCompact, encryptJson, generateSecret, signJson, signJwt } from '../../src/index.js';

const NOW = 1_900_000_000;
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const good = { iss: 'https://id.example', aud: 'api', sub: 'u1', iat: NOW, exp: NOW + 900 };
const ids = (token: string, options = {}) => auditToken(token, { now: NOW, ...options }).findings.map((x) => x.id);

describe('auditToken', () => {
  it('A01: alg none is a high finding, first; the report names type, serialization, alg, headers and claims', () => {
    const r = auditToken(`${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`, { now: NOW });
    expect(r.findings[0]).toMatchObject({ id: 'alg-none', severity: 'high' });
    expect(r).toMatchObject({ type: 'JWS', serialization: 'compact', alg: 'none', payload: { sub: 'x' } });
    expect(r.headers).toEqual([{ alg: 'none' }]);
    expect(r.findings.map((x) => x.id)).toEqual(['alg-none', 'no-exp', 'no-aud', 'no-iss', 'no-typ']);
    expect(r.summary).toEqual({ high: 2, medium: 1, low: 2, info: 0 });
  });

  it('a signed JWT with the usual claims has only the symmetric-algorithm note', async () => {
    const key = await generateSecret('HS256');
    const token = await signJwt(good, key, { typ: 'at+jwt', issuedAt: false });
    expect(ids(token)).toEqual(['alg-symmetric']);
    // Surrounding whitespace (a pasted line) is not a finding.
    expect(ids(`\n ${token} \n`)).toEqual(['alg-symmetric']);
  });

  it('lifetime against maxLifetime (seconds or a duration), expiry against now, size against maxSize', async () => {
    const key = await generateSecret('HS256');
    const long = await signJwt({ ...good, exp: NOW + 3 * 86400 }, key, { typ: 'JWT', issuedAt: false });
    expect(ids(long)).toContain('long-lifetime');
    expect(ids(long, { maxLifetime: '4d' })).not.toContain('long-lifetime');
    expect(ids(long, { maxLifetime: 4 * 86400 })).not.toContain('long-lifetime');
    expect(ids(long, { now: NOW + 4 * 86400 })).toContain('expired');
    expect(ids(long, { maxSize: 50 })).toContain('oversized');
  });

  it('a token that cannot be read is a malformed finding, not an error', () => {
    for (const t of ['', 'abc', 'a.b.c', '{"payload":1}', '{', `${b64({ alg: 'HS256' })}.${b64('[1]')}.x`]) {
      const r = auditToken(t, { now: NOW });
      expect(
        r.findings.map((x) => x.id),
        t,
      ).toEqual(['malformed']);
      expect(r.type).toBeUndefined();
      expect(r.headers).toEqual([]);
    }
  });

  it('a compact JWE: its protected header is audited and the claims are said to be encrypted', async () => {
    const key = await generateSecret('A256KW');
    const jwe = await encryptCompact(
      new TextEncoder().encode('{}'),
      { alg: 'A256KW', enc: 'A256GCM', zip: 'DEF' },
      key,
    );
    const r = auditToken(jwe, { now: NOW });
    expect(r).toMatchObject({ type: 'JWE', serialization: 'compact', alg: 'A256KW' });
    expect(r.payload).toBeUndefined();
    expect(r.findings.map((x) => x.id)).toEqual(['jwe-zip', 'jwe-claims']);
  });

  it('A33: a JSON JWS with two signatures: both headers audited, unprotected alg and jku reported once each', async () => {
    const a = await generateSecret('HS256');
    const b = await generateSecret('HS384');
    const jws = await signJson(new TextEncoder().encode(JSON.stringify(good)), [
      { protectedHeader: { alg: 'HS256', typ: 'JWT' }, unprotectedHeader: { jku: 'https://evil.example/k' }, key: a },
      { protectedHeader: { alg: 'HS384' }, unprotectedHeader: { jku: 'https://evil.example/k' }, key: b },
    ]);
    const r = auditToken(JSON.stringify(jws), { now: NOW });
    expect(r).toMatchObject({ type: 'JWS', serialization: 'json', alg: 'HS256', payload: good });
    expect(r.headers).toHaveLength(2);
    expect(r.findings.filter((x) => x.id === 'header-jku')).toHaveLength(1);
    const moved = { ...(jws as { signatures: object[] }), signatures: [{ header: { alg: 'HS256' }, signature: 'AA' }] };
    expect(ids(JSON.stringify(moved))).toContain('unprotected-header');
  });

  it('a JSON JWE: each recipient header (protected, shared and own members merged); duplicates are malformed', async () => {
    const key = await generateSecret('A128KW');
    const jwe = (await encryptJson(new TextEncoder().encode('x'), {
      protectedHeader: { enc: 'A128GCM' },
      unprotectedHeader: { kid: '../../etc/passwd' },
      recipients: [{ header: { alg: 'A128KW' }, key }],
    })) as unknown as Record<string, unknown>;
    const r = auditToken(JSON.stringify(jwe), { now: NOW });
    expect(r).toMatchObject({ type: 'JWE', serialization: 'json', alg: 'A128KW' });
    expect(r.headers[0]).toEqual({ enc: 'A128GCM', kid: '../../etc/passwd', alg: 'A128KW' });
    expect(r.findings.map((x) => x.id)).toEqual(['kid-path', 'jwe-claims']);
    const twice = { ...jwe, unprotected: { enc: 'A256GCM' } };
    expect(ids(JSON.stringify(twice))).toEqual(['malformed']);
    const zipped = { ...jwe, unprotected: { zip: 'DEF' } };
    expect(ids(JSON.stringify(zipped))).toContain('unprotected-header');
  });

  it('a JWS whose payload is not a JSON object says so instead of checking claims', () => {
    const r = auditToken(JSON.stringify({ payload: b64('hello'), protected: b64({ alg: 'HS256' }), signature: 'AA' }));
    expect(r.findings.map((x) => x.id)).toEqual(['alg-symmetric', 'not-jwt']);
    expect(r.payload).toBeUndefined();
  });

  it('personal data and secret-looking claims', () => {
    const t = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ ...good, email: 'a@b.example', password: 'x' })}.AA`;
    expect(ids(t)).toEqual(expect.arrayContaining(['pii-email', 'secret-claim']));
  });

  it('bad arguments are JotErrors with their codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof JotError ? e.code : 'not a JotError';
      }
      return 'no error';
    };
    expect(code(() => auditToken(42 as unknown as string))).toBe('ERR_JWT_INVALID');
    expect(code(() => auditToken('a.b.c', { maxSize: 0 }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => auditToken('a.b.c', { maxLifetime: 'forever' }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => auditToken('a.b.c', { now: Number.NaN }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => auditToken('a.b.c', { when: 1 } as object))).toBe('ERR_INVALID_OPTION');
  });
});

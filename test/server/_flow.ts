// The whole token flow over HTTP, shared by the SQLite and Redis runs. `a` and `b` may be one instance or two
// sharing a store: tokens are obtained from `a` and used on `b`, so that state crosses instances.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { expect } from 'vitest';
import { bearer, eventually, get, postForm, type Reply, type Service } from './_server.js';

/** Every token the flow saw: none may appear in the service's output. */
export const seenTokens = new Set<string>();

export async function login(s: Service, scope = 'profile introspect', headers: Record<string, string> = {}) {
  const r = await postForm(
    `${s.url}/token`,
    { grant_type: 'password', username: 'demo', password: 'demo', scope },
    headers,
  );
  expect(r.status, r.text).toBe(200);
  seenTokens.add(r.json.access_token);
  seenTokens.add(r.json.refresh_token);
  return r.json as {
    access_token: string;
    refresh_token: string;
    token_type: string;
    expires_in: number;
    scope: string;
  };
}

export async function refresh(s: Service, token: string, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await postForm(`${s.url}/token`, { grant_type: 'refresh_token', refresh_token: token }, headers);
  if (r.status === 200) {
    seenTokens.add(r.json.access_token);
    seenTokens.add(r.json.refresh_token);
  }
  return r;
}

export const meStatus = async (s: Service, token: string) => (await get(`${s.url}/me`, bearer(token))).status;
const refused = (s: Service, token: string) => eventually(async () => (await meStatus(s, token)) === 401);

export function expectOAuthError(r: Reply, status: number, error: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.json?.error).toBe(error);
  expect(typeof r.json?.error_description).toBe('string');
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
}

export interface FlowResult {
  /** A live access token and refresh token issued at the end. */
  live: { access_token: string; refresh_token: string };
  /** An access token revoked through /revoke. */
  revoked: string;
  kid: string;
}

export async function walkFlow(a: Service, b: Service, issuer: string): Promise<FlowResult> {
  // RFC 8414 metadata and the key set.
  const meta = await get(`${a.url}/.well-known/oauth-authorization-server`);
  expect(meta.status).toBe(200);
  expect(meta.json).toMatchObject({
    issuer,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['password', 'refresh_token'],
  });
  expect(meta.json.dpop_signing_alg_values_supported).toContain('ES256');
  const jwks = await get(`${b.url}/.well-known/jwks.json`);
  expect(jwks.status).toBe(200);
  expect(jwks.headers.get('content-type')).toBe('application/jwk-set+json');
  expect(jwks.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  expect(jwks.json.keys.length).toBeGreaterThan(0);
  for (const k of jwks.json.keys) {
    expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  }

  // Password grant; the access token is an RFC 9068 at+jwt that jose verifies against the served set.
  const first = await login(a);
  expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'profile introspect' });
  const keySet = createRemoteJWKSet(new URL(`${b.url}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(first.access_token, keySet, {
    issuer,
    audience: `${issuer}/api`,
    typ: 'at+jwt',
    algorithms: ['ES256'],
    requiredClaims: ['sub', 'client_id', 'iat', 'jti', 'exp'],
  });
  expect(payload.sub).toBe('demo');
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  const kid = protectedHeader.kid as string;
  expect(jwks.json.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
  // The refresh token is no access token (typ rt+jwt, another audience): jose refuses it as one.
  await expect(
    jwtVerify(first.refresh_token, keySet, { issuer, audience: `${issuer}/api`, typ: 'at+jwt' }),
  ).rejects.toThrow();

  const me = await get(`${b.url}/me`, bearer(first.access_token));
  expect(me.status).toBe(200);
  expect(me.headers.get('cache-control')).toBe('no-store');
  expect(me.json).toMatchObject({ sub: 'demo', iss: issuer, scope: 'profile introspect', jti: payload.jti });
  expect((await get(`${b.url}/me`, bearer(first.refresh_token))).status).toBe(401);

  // Refresh rotates; reuse of a used refresh token revokes the whole family.
  const r2 = await refresh(a, first.refresh_token);
  expect(r2.status, r2.text).toBe(200);
  expect(r2.headers.get('cache-control')).toBe('no-store');
  expect(r2.json.refresh_token).not.toBe(first.refresh_token);
  expect(r2.json.scope).toBe('profile introspect');
  const r3 = await refresh(b, r2.json.refresh_token);
  expect(r3.status, r3.text).toBe(200);
  expect(await meStatus(b, r3.json.access_token)).toBe(200);
  expect(await meStatus(a, first.access_token)).toBe(200); // rotation alone revokes nothing
  const reuse = await refresh(b, first.refresh_token);
  expectOAuthError(reuse, 400, 'invalid_grant');
  expectOAuthError(await refresh(a, r3.json.refresh_token), 400, 'invalid_grant'); // the rotated one too
  for (const t of [first.access_token, r2.json.access_token, r3.json.access_token]) {
    expect(await refused(a, t)).toBe(true);
    expect(await refused(b, t)).toBe(true);
  }

  // Concurrent uses of one refresh token, on both instances: at most one new pair (E09).
  const raced = await login(a, 'profile');
  const answers = await Promise.all([a, b, a, b, a, b].map((s) => refresh(s, raced.refresh_token)));
  expect(answers.filter((r) => r.status === 200).length).toBe(1); // the first insertIfAbsent wins
  for (const r of answers) if (r.status !== 200) expectOAuthError(r, 400, 'invalid_grant');
  expect(await refused(b, raced.access_token)).toBe(true);

  // Introspection (authenticated, scope introspect) before and after /revoke.
  const caller = await login(a);
  const probe = await login(a, 'profile');
  const introspect = (s: Service, token: string) =>
    postForm(`${s.url}/introspect`, { token }, bearer(caller.access_token));
  const before = await introspect(b, probe.access_token);
  expect(before.status).toBe(200);
  expect(before.headers.get('cache-control')).toBe('no-store');
  expect(before.json).toMatchObject({
    active: true,
    sub: 'demo',
    scope: 'profile',
    token_type: 'Bearer',
    token_use: 'access_token',
  });
  expect((await introspect(b, probe.refresh_token)).json).toMatchObject({ active: true, token_use: 'refresh_token' });
  expect((await introspect(b, 'not.a.token')).json).toEqual({ active: false });
  expect((await postForm(`${b.url}/introspect`, { token: probe.access_token })).status).toBe(401);
  // A token without the introspect scope may not introspect.
  expect(
    (await postForm(`${b.url}/introspect`, { token: caller.access_token }, bearer(probe.access_token))).status,
  ).toBe(403);

  const revoked = await postForm(`${a.url}/revoke`, { token: probe.access_token, token_type_hint: 'access_token' });
  expect(revoked.status).toBe(200);
  expect(revoked.text).toBe('');
  expect(revoked.headers.get('cache-control')).toBe('no-store');
  expect(await eventually(async () => (await introspect(b, probe.access_token)).json.active === false)).toBe(true);
  expect(await refused(b, probe.access_token)).toBe(true);
  expect((await postForm(`${a.url}/revoke`, { token: 'garbage' })).status).toBe(200);
  // Revoking a refresh token ends its login: the access tokens of its family are refused too.
  const session = await login(a, 'profile');
  expect((await postForm(`${b.url}/revoke`, { token: session.refresh_token })).status).toBe(200);
  expect(await refused(a, session.access_token)).toBe(true);
  expectOAuthError(await refresh(a, session.refresh_token), 400, 'invalid_grant');

  // Log out everywhere: every token of the subject issued before now, on every instance.
  const other = await login(b, 'profile');
  const out = await postForm(`${a.url}/logout-all`, {}, bearer(caller.access_token));
  expect(out.status, out.text).toBe(200);
  expect(out.json.sub).toBe('demo');
  expect(await refused(b, other.access_token)).toBe(true);
  expect(await refused(a, caller.access_token)).toBe(true);
  expectOAuthError(await refresh(b, other.refresh_token), 400, 'invalid_grant');
  expect((await postForm(`${a.url}/logout-all`, {})).status).toBe(401);

  const live = await login(b, 'profile');
  expect(await meStatus(a, live.access_token)).toBe(200);
  return { live, revoked: probe.access_token, kid };
}

/** After a restart on the same data: same key, revocations kept, live tokens still accepted. */
export async function checkAfterRestart(s: Service, before: FlowResult, useRefresh = true): Promise<void> {
  const jwks = await get(`${s.url}/.well-known/jwks.json`);
  expect(jwks.json.keys.map((k: { kid: string }) => k.kid)).toContain(before.kid);
  expect(await meStatus(s, before.live.access_token)).toBe(200);
  expect(await meStatus(s, before.revoked)).toBe(401);
  if (!useRefresh) return;
  const r = await refresh(s, before.live.refresh_token);
  expect(r.status, r.text).toBe(200);
  const decoded = JSON.parse(Buffer.from(r.json.access_token.split('.')[0], 'base64url').toString());
  expect(decoded.kid).toBe(before.kid);
}

export function expectNoSecretsIn(output: string): void {
  for (const t of seenTokens) {
    expect(output.includes(t.split('.')[2] as string), 'a token signature in the log').toBe(false);
  }
  expect(output).not.toContain('wrong-password-123');
}

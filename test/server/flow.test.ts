// The demo service (`npm start`) on SQLite: the whole flow over HTTP, a restart on the same data folder, DPoP,
// and bad input. The service runs as a child process from server/main.js against dist/ (built by global-setup).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/index.js';
import { createDpopProof } from '../../src/http/index.js';
import {
  checkAfterRestart,
  expectNoSecretsIn,
  expectOAuthError,
  type FlowResult,
  login,
  refresh,
  walkFlow,
} from './_flow.js';
import { bearer, get, postForm, postRaw, type Service, startService, tempDataDir } from './_server.js';

const data = tempDataDir();
let service: Service;
let output = '';
/** The public origin the DPoP proofs name (the first instance's URL, kept across restarts). */
let issuer = '';

beforeAll(async () => {
  service = await startService({ JOT_DATA_DIR: data.dir });
});

afterAll(async () => {
  output += service.output();
  await service.stop();
  expectNoSecretsIn(output);
  data.remove();
});

describe('demo service on SQLite', () => {
  let result: FlowResult;

  it('prints its URLs and the demo credentials, and keeps secrets in 0600 files', () => {
    expect(service.output()).toContain(`${service.url}/.well-known/oauth-authorization-server`);
    expect(service.output()).toContain('demo / demo');
    for (const file of ['ring.key', 'users.json']) {
      expect(statSync(join(data.dir, file)).mode & 0o777).toBe(0o600);
    }
  });

  it('walks metadata, JWKS, token, /me, refresh, reuse, revoke, introspect and logout-all', async () => {
    result = await walkFlow(service, service, service.url);
  });

  it('keeps its key and revocations across a restart and stops cleanly on SIGTERM and SIGINT', async () => {
    output += service.output();
    expect(await service.stop('SIGTERM')).toBe(0);
    // The issuer (the public origin) stays; the port changes, as behind a proxy.
    issuer = service.url;
    service = await startService({ JOT_DATA_DIR: data.dir, JOT_ISSUER: issuer });
    expect(service.url).not.toBe(issuer);
    await checkAfterRestart(service, result);
    output += service.output();
    expect(await service.stop('SIGINT')).toBe(0);
    service = await startService({ JOT_DATA_DIR: data.dir, JOT_ISSUER: issuer });
  });
});

describe('DPoP-bound tokens', () => {
  it('binds tokens to the proof key at /token and requires proofs with them', async () => {
    const key = (await generateKeyPair('ES256')).privateKey;
    const other = (await generateKeyPair('ES256')).privateKey;
    // Requests go to the service's port; proofs name the public origin, which the service takes from JOT_ISSUER.
    const tokenUrl = `${service.url}/token`;
    const meUrl = `${service.url}/me`;
    const publicUrl = (url: string) => url.replace(service.url, issuer);
    const proof = (k = key, url = tokenUrl, method = 'POST', accessToken?: string) =>
      createDpopProof({ key: k, method, url: publicUrl(url), ...(accessToken === undefined ? {} : { accessToken }) });

    const tokens = await login(service, 'profile', { dpop: await proof() });
    expect(tokens.token_type).toBe('DPoP');
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] as string, 'base64url').toString());
    expect(typeof claims.cnf?.jkt).toBe('string');

    const ok = await get(meUrl, {
      authorization: `DPoP ${tokens.access_token}`,
      dpop: await proof(key, meUrl, 'GET', tokens.access_token),
    });
    expect(ok.status, ok.text).toBe(200);
    expect((await get(meUrl, bearer(tokens.access_token))).status).toBe(401);
    const wrongKey = await get(meUrl, {
      authorization: `DPoP ${tokens.access_token}`,
      dpop: await proof(other, meUrl, 'GET', tokens.access_token),
    });
    expect(wrongKey.status).toBe(401);

    // A bound refresh token needs a proof of the same key.
    expectOAuthError(await refresh(service, tokens.refresh_token), 400, 'invalid_dpop_proof');
    expectOAuthError(
      await refresh(service, tokens.refresh_token, { dpop: await proof(other) }),
      400,
      'invalid_dpop_proof',
    );
    const rotated = await refresh(service, tokens.refresh_token, { dpop: await proof() });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.token_type).toBe('DPoP');

    // Proofs at /token: replayed, for another URL, with an `ath`, or garbage.
    const once = await proof();
    expect((await login(service, 'profile', { dpop: once })).token_type).toBe('DPoP');
    const replay = await postForm(
      tokenUrl,
      { grant_type: 'password', username: 'demo', password: 'demo' },
      { dpop: once },
    );
    expectOAuthError(replay, 400, 'invalid_dpop_proof');
    const hostNamed = await createDpopProof({ key, method: 'POST', url: tokenUrl }); // the Host, not the origin
    for (const bad of [await proof(key, meUrl), await proof(key, tokenUrl, 'POST', 'x'), hostNamed, 'garbage']) {
      const r = await postForm(tokenUrl, { grant_type: 'password', username: 'demo', password: 'demo' }, { dpop: bad });
      expectOAuthError(r, 400, 'invalid_dpop_proof');
    }
  });
});

describe('bad input', () => {
  const token = () => `${service.url}/token`;
  const form = 'application/x-www-form-urlencoded';

  it('answers RFC 6749 errors, never a crash', async () => {
    expectOAuthError(
      await postRaw(token(), '{"grant_type":"password"}', { 'content-type': 'application/json' }),
      400,
      'invalid_request',
    );
    expectOAuthError(await postRaw(token(), 'grant_type=password', {}), 400, 'invalid_request');
    expectOAuthError(
      await postRaw(token(), `grant_type=password&x=${'a'.repeat(20_000)}`, { 'content-type': form }),
      413,
      'invalid_request',
    );
    expectOAuthError(
      await postRaw(token(), 'grant_type=pass%zzword', { 'content-type': form }),
      400,
      'invalid_request',
    );
    expectOAuthError(await postRaw(token(), 'grant_type=%FF%FE', { 'content-type': form }), 400, 'invalid_request');
    expectOAuthError(
      await postRaw(token(), 'grant_type=a\u00e9', { 'content-type': `${form}; charset=utf-8` }),
      400,
      'invalid_request',
    );
    expectOAuthError(
      await postRaw(token(), 'grant_type=password&grant_type=refresh_token', { 'content-type': form }),
      400,
      'invalid_request',
    );
    expectOAuthError(await postForm(token(), {}), 400, 'invalid_request');
    expectOAuthError(await postForm(token(), { grant_type: 'client_credentials' }), 400, 'unsupported_grant_type');
    expectOAuthError(await postForm(token(), { grant_type: 'password', username: 'demo' }), 400, 'invalid_request');
    expectOAuthError(await postForm(token(), { grant_type: 'refresh_token' }), 400, 'invalid_request');
    expectOAuthError(
      await postForm(token(), { grant_type: 'refresh_token', refresh_token: 'a.b.c' }),
      400,
      'invalid_grant',
    );
    expectOAuthError(
      await postForm(token(), { grant_type: 'password', username: 'demo', password: 'demo', scope: 'admin' }),
      400,
      'invalid_scope',
    );
    expectOAuthError(
      await postForm(token(), { grant_type: 'password', username: 'demo', password: 'demo', client_id: 'evil' }),
      401,
      'invalid_client',
    );
    const tokens = await login(service, 'profile');
    // An access token is no refresh token.
    expectOAuthError(await refresh(service, tokens.access_token), 400, 'invalid_grant');
    // Revoke and introspect need their parameter.
    expectOAuthError(await postForm(`${service.url}/revoke`, {}), 400, 'invalid_request');
    expectOAuthError(
      await postForm(`${service.url}/introspect`, {}, bearer(tokens.access_token)),
      403,
      'insufficient_scope',
    );
    // Garbage tokens on the API.
    for (const t of ['garbage', 'a.b.c', `${tokens.access_token}x`, tokens.refresh_token]) {
      const r = await get(`${service.url}/me`, bearer(t));
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expect((await get(`${service.url}/me`)).status).toBe(401);
    expect((await get(`${service.url}/token`)).status).toBe(405);
    expect((await get(`${service.url}/nowhere`)).status).toBe(404);
    // A token in an unknown path or in the query is not logged (checked on the output in afterAll).
    expect((await get(`${service.url}/x/${tokens.access_token}`)).status).toBe(404);
    expect((await get(`${service.url}/me?access_token=${tokens.access_token}`)).status).toBe(401);
    // GET / is the offline token debugger (jotjs/debugger, under its CSP); the links page moved to /service.
    const home = await get(`${service.url}/`);
    expect(home.status).toBe(200);
    expect(home.text).toContain('<title>jot token debugger (offline)</title>');
    expect(home.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
    const links = await get(`${service.url}/service`);
    expect(links.status).toBe(200);
    expect(links.text).toContain('/.well-known/oauth-authorization-server');
  });

  it('gives one answer for an unknown user and a wrong password, and limits failed attempts per user', async () => {
    const attempt = (username: string) =>
      postForm(token(), { grant_type: 'password', username, password: 'wrong-password-123' });
    const unknown = await attempt('nobody');
    const wrong = await attempt('demo');
    expectOAuthError(unknown, 400, 'invalid_grant');
    expect(wrong.json).toEqual(unknown.json);
    for (let i = 0; i < 4; i++) expectOAuthError(await attempt('nobody'), 400, 'invalid_grant');
    const limited = await attempt('nobody');
    expectOAuthError(limited, 429, 'invalid_request');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user is not affected.
    expect((await login(service, 'profile')).token_type).toBe('Bearer');
  });
});

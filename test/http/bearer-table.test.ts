// The RFC 6750 table: the same requests against a real server of every adapter (node:http, Express, Fastify,
// Hono) on 127.0.0.1, with status, WWW-Authenticate and body asserted byte for byte.
import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policies, REALM, type World, world } from './_fixtures.js';
import { send } from './_request.js';
import { ADAPTERS, type Running } from './_servers.js';

interface Case {
  name: string;
  path: string;
  headers: (t: Tokens) => OutgoingHttpHeaders;
  status: number;
  challenge: string | undefined;
  body: Record<string, unknown>;
}

type Tokens = Record<
  'valid' | 'noScope' | 'expired' | 'notYet' | 'revoked' | 'wrongAud' | 'badSig' | 'bound' | 'mtls',
  string
>;

const R = `realm="${REALM}"`;
const invalid = (d: string) => `Bearer ${R}, error="invalid_token", error_description="${d}"`;
const body = (error: string, description: string) => ({ error, error_description: description });

const CASES: Case[] = [
  {
    name: 'no Authorization header',
    path: '/me',
    headers: () => ({}),
    status: 401,
    challenge: `Bearer ${R}`,
    body: body('unauthorized', 'Authentication is required'),
  },
  {
    name: 'malformed header (a space inside the token)',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.valid.slice(0, 20)} ${t.valid.slice(20)}` }),
    status: 400,
    challenge: `Bearer ${R}, error="invalid_request", error_description="The Authorization header is malformed"`,
    body: body('invalid_request', 'The Authorization header is malformed'),
  },
  {
    name: 'malformed header (scheme alone)',
    path: '/me',
    headers: () => ({ authorization: 'Bearer' }),
    status: 400,
    challenge: `Bearer ${R}, error="invalid_request", error_description="The Authorization header is malformed"`,
    body: body('invalid_request', 'The Authorization header is malformed'),
  },
  {
    name: 'wrong scheme',
    path: '/me',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
    status: 401,
    challenge: `Bearer ${R}`,
    body: body('unauthorized', 'Authentication is required'),
  },
  {
    name: 'two credentials (two Authorization lines)',
    path: '/me',
    headers: (t) => ({ Authorization: [`Bearer ${t.valid}`, `Bearer ${t.noScope}`] }) as OutgoingHttpHeaders,
    status: 400,
    challenge: `Bearer ${R}, error="invalid_request", error_description="The request presents more than one credential"`,
    body: body('invalid_request', 'The request presents more than one credential'),
  },
  {
    name: 'expired',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.expired}` }),
    status: 401,
    challenge: invalid('The access token expired'),
    body: body('invalid_token', 'The access token expired'),
  },
  {
    name: 'not yet valid',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.notYet}` }),
    status: 401,
    challenge: invalid('The access token is not yet valid'),
    body: body('invalid_token', 'The access token is not yet valid'),
  },
  {
    name: 'revoked',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.revoked}` }),
    status: 401,
    challenge: invalid('The access token has been revoked'),
    body: body('invalid_token', 'The access token has been revoked'),
  },
  {
    name: 'wrong audience',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.wrongAud}` }),
    status: 401,
    challenge: invalid('The access token is invalid'),
    body: body('invalid_token', 'The access token is invalid'),
  },
  {
    name: 'bad signature (same description as any other invalid token)',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.badSig}` }),
    status: 401,
    challenge: invalid('The access token is invalid'),
    body: body('invalid_token', 'The access token is invalid'),
  },
  {
    name: 'DPoP-bound token presented as a bearer token',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.bound}` }),
    status: 401,
    challenge: invalid('The access token is invalid'),
    body: body('invalid_token', 'The access token is invalid'),
  },
  {
    name: 'token bound to a client certificate (cnf x5t#S256) presented as a bearer token',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.mtls}` }),
    status: 401,
    challenge: invalid('The access token is invalid'),
    body: body('invalid_token', 'The access token is invalid'),
  },
  {
    name: 'missing scope',
    path: '/orders',
    headers: (t) => ({ authorization: `Bearer ${t.noScope}` }),
    status: 403,
    challenge: `Bearer ${R}, error="insufficient_scope", error_description="The access token lacks the required scope", scope="orders:read"`,
    body: body('insufficient_scope', 'The access token lacks the required scope'),
  },
  {
    name: 'key set unavailable (fails closed)',
    path: '/down',
    headers: (t) => ({ authorization: `Bearer ${t.valid}` }),
    status: 503,
    challenge: `Bearer ${R}`,
    body: body('temporarily_unavailable', 'Authentication is temporarily unavailable'),
  },
  {
    name: 'valid',
    path: '/me',
    headers: (t) => ({ authorization: `Bearer ${t.valid}` }),
    status: 200,
    challenge: undefined,
    body: { sub: 'alice', scheme: 'Bearer' },
  },
  {
    name: 'valid, lower-case scheme, with the required scope',
    path: '/orders',
    headers: (t) => ({ authorization: `bearer ${t.valid}` }),
    status: 200,
    challenge: undefined,
    body: { sub: 'alice', scheme: 'Bearer' },
  },
];

let w: World;
let tokens: Tokens;

beforeAll(async () => {
  w = await world();
  const now = Math.floor(Date.now() / 1000);
  const valid = await w.sign({ scope: 'orders:read profile' });
  const other = await w.sign({ sub: 'mallory' });
  const revoked = await w.sign({});
  await w.revocation.revoke(revoked);
  tokens = {
    valid,
    noScope: await w.sign({ sub: 'bob', scope: 'profile' }),
    expired: await w.sign({ iat: now - 7200 }, { expiresIn: new Date((now - 3600) * 1000) }),
    notYet: await w.sign({}, { notBefore: 3600, expiresIn: 7200 }),
    revoked,
    wrongAud: await w.sign({}, { audience: 'https://other.example' }),
    badSig: `${valid.slice(0, valid.lastIndexOf('.'))}${other.slice(other.lastIndexOf('.'))}`,
    bound: await w.sign({ cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } }),
    mtls: await w.sign({ cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } }),
  };
});

afterAll(async () => {
  await w.revocation.close();
});

describe.each(ADAPTERS)('bearer authentication with %s', (_name, start) => {
  let server: Running;
  beforeAll(async () => {
    server = await start(policies(w));
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(CASES)('$name', async (c) => {
    const a = await send(server.origin, 'GET', c.path, c.headers(tokens));
    expect(a.status).toBe(c.status);
    expect(a.headers['www-authenticate']).toBe(c.challenge);
    expect(JSON.parse(a.body)).toEqual(c.body);
    for (const t of Object.values(tokens)) expect(a.body).not.toContain(t.slice(t.indexOf('.') + 1));
    if (c.status !== 200) expect(a.headers['cache-control']).toBe('no-store');
  });
});

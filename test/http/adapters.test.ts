// Adapter details the shared table does not cover: Fastify's global hook and single registration, Express's
// getAuth, and a fresh DPoP-Nonce on success.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import Fastify from 'fastify';
import type express from 'express';
import { getAuth } from '../../src/http/express.js';
import jotFastify from '../../src/http/fastify.js';
import { JotError } from '../../src/index.js';
import { AUD, ISS, type World, world } from './_fixtures.js';
import { send } from './_request.js';

let w: World;
let token: string;
beforeAll(async () => {
  w = await world();
  token = await w.sign({});
});
afterAll(async () => {
  await w.revocation.close();
});

describe('fastify plugin', () => {
  it('global: true protects every route, and request.auth is typed', async () => {
    const app = Fastify();
    await app.register(jotFastify, { key: w.issuer.publicKey, issuer: ISS, audience: AUD, global: true });
    app.get('/a', async (request) => ({ sub: request.auth?.claims.sub }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      expect((await send(origin, 'GET', '/a')).status).toBe(401);
      const ok = await send(origin, 'GET', '/a', { authorization: `Bearer ${token}` });
      expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { sub: 'alice' }]);
    } finally {
      await app.close();
    }
  });

  it('refuses a second registration on one instance (its decorations would be shadowed)', async () => {
    const app = Fastify();
    const o = { key: w.issuer.publicKey, issuer: ISS, audience: AUD };
    await app.register(jotFastify, o);
    await expect(app.register(jotFastify, o).ready()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await app.close();
  });
});

describe('express getAuth', () => {
  it('throws a JotError on a route jotAuth does not protect', () => {
    expect(() => getAuth({} as express.Request)).toThrow(JotError);
  });
});

describe('types', () => {
  it('hono: c.get("auth") carries the claims type given to jotAuth', async () => {
    const { Hono } = await import('hono');
    const { jotAuth } = await import('../../src/http/hono.js');
    const app = new Hono();
    app.get('/t', jotAuth<{ tenant: string }>({ key: w.issuer.publicKey, issuer: ISS, audience: AUD }), (c) => {
      expectTypeOf(c.get('auth').claims.tenant).toEqualTypeOf<string>();
      expectTypeOf(c.get('auth').scheme).toEqualTypeOf<'Bearer' | 'DPoP'>();
      return c.json({ tenant: c.get('auth').claims.tenant });
    });
    const t = await w.sign({ tenant: 'acme' });
    const r = await app.request('http://x/t', { headers: { authorization: `Bearer ${t}` } });
    expect(await r.json()).toEqual({ tenant: 'acme' });
  });

  it('express: getAuth<T> types the claims', () => {
    const req = { auth: { claims: { tenant: 'acme' }, token: 't', scheme: 'Bearer', protectedHeader: {} } };
    const auth = getAuth<{ tenant: string }>(req as unknown as express.Request);
    expectTypeOf(auth.claims.tenant).toEqualTypeOf<string>();
    expect(auth.claims.tenant).toBe('acme');
  });
});

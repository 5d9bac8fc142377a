// One server per adapter on 127.0.0.1 (port 0), all with the same routes and authentication options, so that one
// table of cases runs against every adapter.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { getAuth, jotAuth as expressAuth } from '../../src/http/express.js';
import jotFastify, { jotHook } from '../../src/http/fastify.js';
import { jotAuth as honoAuth } from '../../src/http/hono.js';
import { createAuthenticator, withAuth } from '../../src/http/index.js';
import type { AuthOptions, Authenticator } from '../../src/http/types.js';

/** The authentication policies every server mounts. */
export interface Policies {
  /** GET /me (no scope), GET /orders (scope orders:read). */
  bearer: AuthOptions;
  /** GET /down: a key set that cannot be fetched. */
  down: AuthOptions;
  /** GET|POST /dpop and GET /dpop/items/:id: DPoP enabled. */
  dpop: AuthOptions;
  /** GET /nonce: DPoP with server nonces. */
  nonce: AuthOptions;
}

export interface Running {
  readonly name: string;
  readonly origin: string;
  close(): Promise<void>;
}

export type Adapter = (p: Policies) => Promise<Running>;

const reply = (claims: Record<string, unknown>, scheme: string) => ({ sub: claims.sub, scheme });

function listen(name: string, server: Server): Promise<Running> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        name,
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

function compiled(p: Policies): Record<keyof Policies, Authenticator> {
  return {
    bearer: createAuthenticator(p.bearer),
    down: createAuthenticator(p.down),
    dpop: createAuthenticator(p.dpop),
    nonce: createAuthenticator(p.nonce),
  };
}

export const node: Adapter = async (p) => {
  const a = compiled(p);
  const send = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const ok = withAuth((_req, res, auth) => send(res, reply(auth.claims, auth.scheme)), a.bearer);
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => unknown> = {
    '/me': ok,
    '/orders': withAuth(
      (_q, res, auth) => send(res, reply(auth.claims, auth.scheme)),
      a.bearer.withScopes(['orders:read']),
    ),
    '/down': withAuth((_q, res, auth) => send(res, reply(auth.claims, auth.scheme)), a.down),
    '/dpop': withAuth((_q, res, auth) => send(res, reply(auth.claims, auth.scheme)), a.dpop),
    '/dpop/items/1': withAuth((_q, res, auth) => send(res, reply(auth.claims, auth.scheme)), a.dpop),
    '/nonce': withAuth((_q, res, auth) => send(res, reply(auth.claims, auth.scheme)), a.nonce),
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    void route(req, res);
  });
  return listen('node:http', server);
};

export const expressAdapter: Adapter = async (p) => {
  const a = compiled(p);
  const app = express();
  const ok = (req: express.Request, res: express.Response) => {
    const auth = getAuth(req);
    res.json(reply(auth.claims, auth.scheme));
  };
  app.get('/me', expressAuth(a.bearer), ok);
  app.get('/orders', expressAuth(a.bearer, { scopes: ['orders:read'] }), ok);
  app.get('/down', expressAuth(a.down), ok);
  app.all('/dpop', expressAuth(a.dpop), ok);
  app.get('/dpop/items/:id', expressAuth(a.dpop), ok);
  app.get('/nonce', expressAuth(a.nonce), ok);
  return listen('express', createServer(app));
};

export const fastifyAdapter: Adapter = async (p) => {
  const a = compiled(p);
  const app = Fastify();
  await app.register(jotFastify, { authenticator: a.bearer });
  const ok = async (request: { auth: { claims: Record<string, unknown>; scheme: string } | null }) =>
    reply(request.auth!.claims, request.auth!.scheme);
  app.get('/me', { onRequest: app.jotAuth }, ok);
  app.get('/orders', { onRequest: app.jotScopes(['orders:read']) }, ok);
  // Other policies: hooks of their own.
  app.get('/down', { onRequest: jotHook(a.down) }, ok);
  app.route({ method: ['GET', 'POST'], url: '/dpop', onRequest: jotHook(a.dpop), handler: ok });
  app.get('/dpop/items/:id', { onRequest: jotHook(a.dpop) }, ok);
  app.get('/nonce', { onRequest: jotHook(a.nonce) }, ok);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { name: 'fastify', origin: `http://127.0.0.1:${port}`, close: () => app.close() };
};

export const honoAdapter: Adapter = async (p) => {
  const a = compiled(p);
  const app = new Hono();
  const ok = (c: { get(n: 'auth'): { claims: Record<string, unknown>; scheme: string }; json(b: unknown): Response }) =>
    c.json(reply(c.get('auth').claims, c.get('auth').scheme));
  app.get('/me', honoAuth(a.bearer), ok);
  app.get('/orders', honoAuth(a.bearer, { scopes: ['orders:read'] }), ok);
  app.get('/down', honoAuth(a.down), ok);
  app.on(['GET', 'POST'], '/dpop', honoAuth(a.dpop), ok);
  app.get('/dpop/items/:id', honoAuth(a.dpop), ok);
  app.get('/nonce', honoAuth(a.nonce), ok);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'hono',
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};

export const ADAPTERS: readonly [string, Adapter][] = [
  ['node:http', node],
  ['express', expressAdapter],
  ['fastify', fastifyAdapter],
  ['hono', honoAdapter],
];

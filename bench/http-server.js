// One benchmark server (a child process of bench/http.js): framework and algorithm from argv, keys and claims from
// the parent. Routes: /none (no authentication), /jot, /jot-cached (jot with its verified-token cache), /usual (the
// framework's usual JWT middleware: express-jwt, @fastify/jwt, hono/jwt; jsonwebtoken by hand for node:http).
// Every route answers the same small JSON body.
import { createServer } from 'node:http';
import { importKey } from '../dist/index.js';

const [framework, alg] = process.argv.slice(2);
const cfg = JSON.parse(process.env.JOT_BENCH_CONFIG);
const { ISS, AUD } = cfg;
const jotKey =
  alg === 'HS256'
    ? await importKey(new TextEncoder().encode(cfg.secret), { alg })
    : await importKey(cfg.publicPem, { alg });
const jotOptions = { key: jotKey, algorithms: [alg], issuer: ISS, audience: AUD };
const cachedOptions = { ...jotOptions, cache: { max: 1000 } };
const usualKey = alg === 'HS256' ? cfg.secret : cfg.publicPem;
const body = (sub) => JSON.stringify({ sub });

async function expressServer() {
  const { default: express } = await import('express');
  const { expressjwt } = await import('express-jwt');
  const { jotAuth } = await import('../dist/http/express.js');
  const app = express();
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.get('/none', (_req, res) => res.json({ sub: 'anonymous' }));
  app.get('/jot', jotAuth(jotOptions), (req, res) => res.json({ sub: req.auth.claims.sub }));
  app.get('/jot-cached', jotAuth(cachedOptions), (req, res) => res.json({ sub: req.auth.claims.sub }));
  const usual = expressjwt({ secret: usualKey, algorithms: [alg], issuer: ISS, audience: AUD });
  app.get('/usual', usual, (req, res) => res.json({ sub: req.auth.sub }));
  app.use((e, _req, res, _next) => res.status(e.status ?? 500).end());
  return createServer(app);
}

async function fastifyServer() {
  const { default: Fastify } = await import('fastify');
  const { default: fjwt } = await import('@fastify/jwt');
  const { jotHook } = await import('../dist/http/fastify.js');
  const app = Fastify();
  const secret = alg === 'HS256' ? cfg.secret : { public: cfg.publicPem, private: cfg.privatePem };
  await app.register(fjwt, { secret, verify: { algorithms: [alg], allowedIss: ISS, allowedAud: AUD } });
  app.get('/none', async () => ({ sub: 'anonymous' }));
  app.get('/jot', { onRequest: jotHook(jotOptions) }, async (request) => ({ sub: request.auth.claims.sub }));
  app.get('/jot-cached', { onRequest: jotHook(cachedOptions) }, async (request) => ({ sub: request.auth.claims.sub }));
  const usual = async (request) => {
    await request.jwtVerify();
  };
  app.get('/usual', { onRequest: usual }, async (request) => ({ sub: request.user.sub }));
  await app.ready();
  return app.server;
}

async function honoServer() {
  const { Hono } = await import('hono');
  const { jwt } = await import('hono/jwt');
  const { getRequestListener } = await import('@hono/node-server');
  const { jotAuth } = await import('../dist/http/hono.js');
  const app = new Hono();
  app.get('/none', (c) => c.json({ sub: 'anonymous' }));
  app.get('/jot', jotAuth(jotOptions), (c) => c.json({ sub: c.get('auth').claims.sub }));
  app.get('/jot-cached', jotAuth(cachedOptions), (c) => c.json({ sub: c.get('auth').claims.sub }));
  const secret = alg === 'HS256' ? cfg.secret : cfg.publicJwk;
  app.get('/usual', jwt({ secret, alg, verification: { iss: ISS, aud: AUD } }), (c) =>
    c.json({ sub: c.get('jwtPayload').sub }),
  );
  return createServer(getRequestListener(app.fetch));
}

async function nodeServer() {
  const { withAuth } = await import('../dist/http/index.js');
  const { default: jsonwebtoken } = await import('jsonwebtoken');
  const send = (res, sub) => {
    const b = body(sub);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(b) });
    res.end(b);
  };
  const jot = withAuth((_req, res, auth) => send(res, auth.claims.sub), jotOptions);
  const jotCached = withAuth((_req, res, auth) => send(res, auth.claims.sub), cachedOptions);
  const usualOptions = { algorithms: [alg], issuer: ISS, audience: AUD };
  const usual = (req, res) => {
    const h = req.headers.authorization ?? '';
    let claims;
    try {
      claims = jsonwebtoken.verify(h.slice(7), usualKey, usualOptions);
    } catch {
      res.writeHead(401).end();
      return;
    }
    send(res, claims.sub);
  };
  return createServer((req, res) => {
    if (req.url === '/none') send(res, 'anonymous');
    else if (req.url === '/jot') jot(req, res);
    else if (req.url === '/jot-cached') jotCached(req, res);
    else if (req.url === '/usual') usual(req, res);
    else res.writeHead(404).end();
  });
}

const make = { express: expressServer, fastify: fastifyServer, hono: honoServer, 'node:http': nodeServer }[framework];
const server = await make();
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

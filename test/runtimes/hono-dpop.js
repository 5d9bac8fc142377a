// An issuer key ring and DPoP through jot's Hono adapter on the WebCrypto build, run by test/runtimes/hono-dpop-deno.test.ts on Deno (the
// bundle is built for the browser platform: a node: import anywhere in it fails the build). Requests go through
// Hono's in-process `app.request`. Prints one JSON line: what each step answered.
import { Hono } from 'hono';
import { createKeyRing, createLocalJwkSet, generateKeyPair } from 'jotjs';
import { jotAuth } from 'jotjs/hono';
import { accessTokenHash, createDpopProof, dpopThumbprint } from 'jotjs/http';

const ISS = 'https://idp.example';
const AUD = 'https://api.example';
const URL_ = 'https://api.example/dpop';
// The issuer: a key ring (memory store, maintenance timer on: Deno's timers are numbers) that publishes its JWKS.
const ring = createKeyRing({
  alg: 'ES256',
  checkEvery: '1m',
  signer: { issuer: ISS, audience: AUD, expiresIn: 3600, typ: 'at+jwt' },
});
await ring.ready();
const client = await generateKeyPair('ES256');
const base = { key: createLocalJwkSet(ring.jwks()), algorithms: ['ES256'], issuer: ISS, audience: AUD, typ: 'at+jwt' };
const app = new Hono();
const ok = (c) => c.json({ sub: c.get('auth').claims.sub, scheme: c.get('auth').scheme });
app.get('/jwks', (c) => c.json(ring.jwks(), 200, { 'cache-control': `public, max-age=${ring.maxAge()}` }));
app.get('/dpop', jotAuth({ ...base, dpop: { algorithms: ['ES256'] } }), ok);
app.get('/nonce', jotAuth({ ...base, dpop: { algorithms: ['ES256'], nonce: { lifetime: 600 } } }), ok);

const token = await ring.sign({ sub: 'alice', cnf: { jkt: await dpopThumbprint(client.publicKey) } });
const proof = (url, o = {}) =>
  createDpopProof({ key: client.privateKey, method: 'GET', url, accessToken: token, ...o });
const call = async (path, dpop, scheme = 'DPoP') => {
  const r = await app.request(`https://api.example${path}`, { headers: { authorization: `${scheme} ${token}`, dpop } });
  return {
    status: r.status,
    body: r.status === 200 ? await r.json() : undefined,
    error: /error="([^"]+)"/.exec(r.headers.get('www-authenticate') ?? '')?.[1],
    nonce: r.headers.get('dpop-nonce') ?? undefined,
  };
};

const out = {};
const first = await proof(URL_);
out.accepted = await call('/dpop', first);
out.replayed = await call('/dpop', first);
out.otherKey = await call(
  '/dpop',
  await createDpopProof({ key: ring.signingKey(), method: 'GET', url: URL_, accessToken: token }),
);
out.wrongAth = await call('/dpop', await proof(URL_, { accessToken: `${token}x` }));
out.bearer = await call('/dpop', undefined, 'Bearer');
const asked = await call('/nonce', await proof('https://api.example/nonce'));
out.nonceAsked = { ...asked, nonce: asked.nonce === undefined ? undefined : 'present' };
out.withNonce = await call('/nonce', await proof('https://api.example/nonce', { nonce: asked.nonce }));
out.forgedNonce = await call(
  '/nonce',
  await proof('https://api.example/nonce', { nonce: `${asked.nonce.slice(0, -2)}AA` }),
);
const jwks = await app.request('https://api.example/jwks');
const published = await jwks.json();
out.jwks = {
  status: jwks.status,
  cacheControl: jwks.headers.get('cache-control'),
  kids:
    published.keys.map((k) => k.kid).join() ===
    ring
      .keys()
      .map((k) => k.kid)
      .join(),
  private: published.keys.some((k) => 'd' in k),
  handler: 'handler' in ring,
};
await ring.close();
out.ath = accessTokenHash('abc') === 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0';
console.log(JSON.stringify(out));

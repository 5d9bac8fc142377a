// doc-test setup: https://idp.example for the key-set examples. A real node:http server on a loopback port serves
// the OpenID discovery document and the JWKS of an ES256 key; fetches of https://idp.example go to it. Defines
// `token` (signed by the provider for audience "api"), `issuer` and `audience`.
import { createServer as __httpServer } from 'node:http';
import * as __jot from 'jotjs';

const __idp = await __jot.generateKeyPair('ES256');
const __kid = await __jot.jwkThumbprint(__idp.publicKey);
const __jwks = JSON.stringify({ keys: [{ ...(await __jot.exportJwk(__idp.publicKey)), kid: __kid }] });
const __discovery = JSON.stringify({
  issuer: 'https://idp.example',
  jwks_uri: 'https://idp.example/.well-known/jwks.json',
  id_token_signing_alg_values_supported: ['ES256'],
});
const __server = __httpServer((req, res) => {
  const body =
    req.url === '/.well-known/openid-configuration'
      ? __discovery
      : req.url === '/.well-known/jwks.json'
        ? __jwks
        : undefined;
  res.writeHead(body === undefined ? 404 : 200, {
    'content-type': 'application/json',
    'cache-control': 'max-age=300',
    connection: 'close',
  });
  res.end(body ?? '{}');
});
await new Promise<void>((ok) => __server.listen(0, '127.0.0.1', ok));
__server.unref();
const __origin = `http://127.0.0.1:${(__server.address() as { port: number }).port}`;
const __fetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const r = await __fetch(url.replace(/^https:\/\/idp\.example/, __origin), init);
  // The answer as if from https://idp.example itself (a fetched Response would carry the loopback URL).
  return new Response(r.body, { status: r.status, statusText: r.statusText, headers: r.headers });
};
const issuer = 'https://idp.example';
const audience = 'api';
const token = await __jot.signJwt({ sub: 'user-1' }, __idp.privateKey, {
  kid: __kid,
  issuer,
  audience,
  expiresIn: '5m',
});

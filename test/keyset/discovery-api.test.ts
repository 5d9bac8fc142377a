import { afterEach, describe, expect, it } from 'vitest';
import { SRC, staticGraph } from '../helpers/graph.js';
import { exportJwk, generateKeyPair } from '../../src/key/api.js';
import { discoverIssuer } from '../../src/keyset/discovery-api.js';
import { startServer, type TestServer } from './_server.js';

const _src = SRC;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('lazy discoverIssuer', () => {
  it('neither entry point loads the discovery module at import', () => {
    for (const entry of ['index.ts', 'index.web.ts']) {
      const graph = staticGraph(entry);
      expect(graph.has('keyset/discovery-api.ts') && graph.has('keyset/remote.ts')).toBe(true);
      expect(graph.has('keyset/discovery.ts')).toBe(false);
    }
  });

  it('discovers through the loaded module', async () => {
    const { publicKey } = await generateKeyPair('ES256', { kid: 'a' });
    const jwk = await exportJwk(publicKey);
    server = await startServer((req, res) => {
      const o = server!.origin;
      const body =
        req.url === '/jwks'
          ? { keys: [jwk] }
          : req.url === '/.well-known/openid-configuration'
            ? { issuer: o, jwks_uri: `${o}/jwks` }
            : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    });
    const found = await discoverIssuer(server.origin, { algorithms: ['ES256'], jwks: { allowHttp: true } });
    expect(found).toMatchObject({ issuer: server.origin, jwksUri: `${server.origin}/jwks`, algorithms: ['ES256'] });
  });

  it('rejects (never throws) for bad arguments, with the same codes', async () => {
    await expect(discoverIssuer('https://idp.example', null as never)).rejects.toMatchObject({ name: 'JotError' });
    await expect(discoverIssuer(42 as never, { algorithms: ['ES256'] })).rejects.toMatchObject({ name: 'JotError' });
  });
});

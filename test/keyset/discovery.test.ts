import { afterEach, describe, expect, it } from 'vitest';
import { discoverIssuer, exportJwk, generateKeyPair, signJwt, verifyJwt } from '../../src/index.js';
import { startServer, type TestServer } from './_server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function idp(documents: (origin: string) => Record<string, unknown>) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { kid: 'a' });
  const jwk = await exportJwk(publicKey);
  server = await startServer((req, res) => {
    const docs = documents(server!.origin);
    const body = req.url === '/jwks' ? { keys: [jwk] } : docs[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  return { privateKey, issuer: server.origin };
}
const jwks = { allowHttp: true };

describe('discoverIssuer', () => {
  it('OpenID Connect discovery: a remote set for jwks_uri, algorithms narrowed by the advertised ones', async () => {
    const { privateKey, issuer } = await idp((o) => ({
      '/.well-known/openid-configuration': {
        issuer: o,
        jwks_uri: `${o}/jwks`,
        id_token_signing_alg_values_supported: ['ES256', 'none', 'HS256', 'RS256'],
      },
    }));
    const found = await discoverIssuer(issuer, { algorithms: ['ES256', 'PS256'], jwks });
    expect(found).toMatchObject({ issuer, jwksUri: `${issuer}/jwks`, algorithms: ['ES256'] });
    const token = await signJwt({ iss: issuer, sub: 'u' }, privateKey);
    const r = await verifyJwt(token, found.keys, { algorithms: found.algorithms, issuer: found.issuer });
    expect(r.key.kid).toBe('a');
  });

  it('RFC 8414 metadata when OpenID answers 404; a path-carrying issuer', async () => {
    const { issuer } = await idp((o) => ({
      '/.well-known/oauth-authorization-server/tenant': { issuer: `${o}/tenant`, jwks_uri: `${o}/jwks` },
    }));
    const found = await discoverIssuer(`${issuer}/tenant`, { algorithms: ['ES256'], jwks });
    expect(found.algorithms).toEqual(['ES256']); // nothing advertised: the caller's list
    expect(server!.requests.map((r) => r.path)).toEqual([
      '/tenant/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/tenant',
    ]);
    await expect(
      discoverIssuer(`${issuer}/tenant`, { algorithms: ['ES256'], kind: 'openid', jwks }),
    ).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
  });

  it('a mismatched issuer is refused (mix-up, E04); advertised algorithms never widen the list', async () => {
    const { issuer } = await idp((o) => ({
      '/.well-known/openid-configuration': { issuer: 'https://b.example', jwks_uri: `${o}/jwks` },
      '/x/.well-known/openid-configuration': {
        issuer: `${o}/x`,
        jwks_uri: `${o}/jwks`,
        id_token_signing_alg_values_supported: ['none', 'HS256'],
      },
      '/y/.well-known/openid-configuration': { issuer: `${o}/y`, jwks_uri: 'http://169.254.169.254/' },
      '/z/.well-known/openid-configuration': { issuer: `${o}/z/`, jwks_uri: `${o}/jwks` },
    }));
    await expect(discoverIssuer(issuer, { algorithms: ['ES256'], jwks })).rejects.toMatchObject({
      code: 'ERR_JWKS_INVALID',
    });
    await expect(discoverIssuer(`${issuer}/x`, { algorithms: ['ES256'], jwks })).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    });
    await expect(discoverIssuer(`${issuer}/z`, { algorithms: ['ES256'], jwks })).rejects.toMatchObject({
      code: 'ERR_JWKS_INVALID',
    });
    // The jwks_uri follows the caller's scheme rule (http: only with allowHttp).
    await expect(
      discoverIssuer(`${issuer}/y`, { algorithms: ['ES256'], jwks: { allowHttp: true, allowedHosts: [] } }),
    ).resolves.toBeDefined();
    await expect(discoverIssuer('http://127.0.0.1/', { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(discoverIssuer(issuer, { algorithms: ['none'], jwks } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(discoverIssuer(issuer, { jwks } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

// The framework-neutral core: token sources, header grammar (E05, E06), option checks, scopes, the RFC 9068
// profile, failure mapping (503 fails closed), htu normalisation, and that jotjs/http loads no framework.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { normalizeHtu } from '../../src/http/htu.js';
import {
  type AuthResult,
  authenticate,
  createAuthenticator,
  createDpopProof,
  dpopThumbprint,
  failureBody,
} from '../../src/http/index.js';
import { createVerifier, JotError } from '../../src/index.js';
import { AUD, ISS, type World, world } from './_fixtures.js';

let w: World;
let token: string;
let base: { key: World['issuer']['publicKey']; issuer: string; audience: string; realm: string };

beforeAll(async () => {
  w = await world();
  token = await w.sign({ scope: 'a b' });
  base = { key: w.issuer.publicKey, issuer: ISS, audience: AUD, realm: 'r' };
});
afterAll(async () => {
  await w.revocation.close();
});

const req = (headers: Record<string, string | string[]> | Headers, url = '/x') => ({ method: 'GET', url, headers });
const challenge = (r: AuthResult) => (r.ok ? undefined : r.headers['www-authenticate']);
const MALFORMED =
  'Bearer realm="r", error="invalid_request", error_description="The Authorization header is malformed"';
const DUPLICATE =
  'Bearer realm="r", error="invalid_request", error_description="The request presents more than one credential"';

describe('token sources', () => {
  it('reads the query only when configured (RFC 6750 section 2.3, E05)', async () => {
    const url = `/x?access_token=${token}`;
    expect((await authenticate(req({}, url), base)).ok).toBe(false);
    const q = { ...base, tokenFrom: ['header', 'query'] as const };
    expect((await authenticate(req({}, url), q)).ok).toBe(true);
    const both = await authenticate(req({ authorization: `Bearer ${token}` }, url), q);
    expect([both.ok, challenge(both)]).toEqual([false, DUPLICATE]);
    const twice = await authenticate(req({}, `${url}&access_token=${token}`), q);
    expect(challenge(twice)).toBe(DUPLICATE);
  });

  it('reads a cookie only when configured', async () => {
    const c = { ...base, tokenFrom: 'cookie:at' as const };
    expect((await authenticate(req({ cookie: `x=1; at=${token}` }), c)).ok).toBe(true);
    expect((await authenticate(req({ cookie: `at=${token}` }), base)).ok).toBe(false);
    expect(challenge(await authenticate(req({ cookie: `at=${token}; at=${token}` }), c))).toBe(DUPLICATE);
    const both = { ...base, tokenFrom: ['header', 'cookie:at'] as const };
    expect(challenge(await authenticate(req({ cookie: `at=${token}`, authorization: `Bearer ${token}` }), both))).toBe(
      DUPLICATE,
    );
  });

  it('accepts a Fetch Headers object; joined header lines are two credentials', async () => {
    expect((await authenticate(req(new Headers({ authorization: `Bearer ${token}` })), base)).ok).toBe(true);
    const h = new Headers();
    h.append('authorization', `Bearer ${token}`);
    h.append('authorization', `Bearer ${token}`);
    expect(challenge(await authenticate(req(h), base))).toBe(DUPLICATE);
  });
});

describe('Authorization grammar (E06)', () => {
  it.each([
    ['a tab', `Bearer\t${token}`],
    ['nothing after the scheme', 'Bearer '],
    ['a character outside b64token', `Bearer ${token}!`],
    ['two tokens', `Bearer ${token} ${token}`],
    ['a comma', `Bearer ${token},`],
    ['a bad scheme', `Bea(rer ${token}`],
  ])('%s is invalid_request', async (_n, value) => {
    const r = await authenticate(req({ authorization: value }), base);
    expect(r.ok ? 0 : r.status).toBe(400);
    expect(challenge(r)).toBe(MALFORMED);
  });

  it('accepts any case of the scheme and several spaces (1*SP)', async () => {
    for (const v of [`BEARER ${token}`, `bEaReR   ${token}`]) {
      expect((await authenticate(req({ authorization: v }), base)).ok).toBe(true);
    }
  });

  it('caps the header length', async () => {
    const r = await authenticate(req({ authorization: `Bearer ${'a'.repeat(80_000)}` }), base);
    expect(r.ok ? 0 : r.status).toBe(400);
    expect(r.ok ? '' : r.description).toBe('The credentials are too long');
  });

  it('ignores other schemes with auth-params (not ours: no error code)', async () => {
    const r = await authenticate(req({ authorization: 'Digest username="a", realm="b"' }), base);
    expect([r.ok ? 0 : r.status, challenge(r)]).toEqual([401, 'Bearer realm="r"']);
  });
});

describe('options', () => {
  const bad: [string, () => Record<string, unknown>][] = [
    ['unknown option', () => ({ ...base, nope: 1 })],
    ['realm with a quote', () => ({ ...base, realm: 'a"b' })],
    ['bad scope token', () => ({ ...base, scopes: ['a b'] })],
    [
      'verifier and key',
      () => ({ ...base, verifier: createVerifier({ key: w.issuer.publicKey, strict: false, allowAnyAudience: true }) }),
    ],
    ['strict by default: no issuer', () => ({ key: w.issuer.publicKey, audience: AUD })],
    ['bad tokenFrom', () => ({ ...base, tokenFrom: ['body'] })],
    ['HMAC DPoP proofs', () => ({ ...base, dpop: { algorithms: ['HS256'] } })],
    ['unknown dpop option', () => ({ ...base, dpop: { foo: 1 } })],
    ['dpop origin with a path', () => ({ ...base, dpop: { origin: 'https://a.example/x' } })],
    ['short nonce secret', () => ({ ...base, dpop: { nonce: { secret: new Uint8Array(8) } } })],
  ];
  it.each(bad)('%s is ERR_INVALID_OPTION', (_n, options) => {
    let e: unknown;
    try {
      createAuthenticator(options() as never);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(JotError);
    expect((e as JotError).code).toBe('ERR_INVALID_OPTION');
  });

  it('a bad request object is ERR_INVALID_OPTION, not a 401', async () => {
    await expect(authenticate({} as never, base)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });

  it('takes a precompiled verifier', async () => {
    const verifier = createVerifier({ key: w.issuer.publicKey, issuer: ISS, audience: AUD });
    expect((await authenticate(req({ authorization: `Bearer ${token}` }), { verifier })).ok).toBe(true);
  });
});

describe('scopes and profiles', () => {
  it('reads scope (string) or scp (array); a mistyped claim is invalid_token', async () => {
    const auth = createAuthenticator({ ...base, scopes: ['b'] });
    const scp = await w.sign({ scp: ['b'] });
    expect((await auth.authenticate(req({ authorization: `Bearer ${scp}` }))).ok).toBe(true);
    const bad = await w.sign({ scope: ['b'] });
    const r = await auth.authenticate(req({ authorization: `Bearer ${bad}` }));
    expect(r.ok ? '' : r.error).toBe('invalid_token');
    const more = await auth.withScopes(['c']).authenticate(req({ authorization: `Bearer ${token}` }));
    expect(challenge(more)).toBe(
      'Bearer realm="r", error="insufficient_scope", error_description="The access token lacks the required scope", scope="b c"',
    );
  });

  it('profile rfc9068 requires typ at+jwt and the access-token claims', async () => {
    const auth = createAuthenticator({ ...base, profile: 'rfc9068' });
    expect((await auth.authenticate(req({ authorization: `Bearer ${token}` }))).ok).toBe(false);
    const full = await w.sign({ client_id: 'c1' });
    expect((await auth.authenticate(req({ authorization: `Bearer ${full}` }))).ok).toBe(true);
    const plain = await w.sign({ client_id: 'c1' }, { typ: 'JWT' });
    expect((await auth.authenticate(req({ authorization: `Bearer ${plain}` }))).ok).toBe(false);
  });
});

describe('failure mapping', () => {
  it('a revocation store that fails is 503 (fail closed); a resolver that throws is 401', async () => {
    const down = {
      isRevoked: async () => {
        throw new JotError('ERR_REVOCATION_STORE_UNAVAILABLE', 'down');
      },
    };
    const r = await authenticate(req({ authorization: `Bearer ${token}` }), { ...base, revocation: down });
    expect(r.ok ? 0 : r.status).toBe(503);
    expect(r.ok ? undefined : r.cause?.code).toBe('ERR_REVOCATION_STORE_UNAVAILABLE');
    const timeout = async () => {
      throw new JotError('ERR_JWKS_TIMEOUT', 'slow');
    };
    const t = await authenticate(req({ authorization: `Bearer ${token}` }), {
      ...base,
      key: timeout,
      algorithms: ['ES256'],
    });
    expect(t.ok ? 0 : t.status).toBe(503);
    const broken = () => {
      throw new TypeError('bug');
    };
    const b = await authenticate(req({ authorization: `Bearer ${token}` }), {
      ...base,
      key: broken,
      algorithms: ['ES256'],
    });
    expect([b.ok ? 0 : b.status, b.ok ? '' : b.error]).toEqual([401, 'invalid_token']);
  });

  it('failure bodies and challenges never carry the token', async () => {
    const r = await authenticate(req({ authorization: `Bearer ${token}x` }), base);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(failureBody(r)).toBe('{"error":"invalid_token","error_description":"The access token is invalid"}');
      expect(JSON.stringify(r.headers)).not.toContain(token.slice(10, 40));
    }
  });

  it('DPoP required: a bearer token gets the DPoP challenge only', async () => {
    const r = await authenticate(req({ authorization: `Bearer ${token}` }), {
      ...base,
      dpop: { required: true, algorithms: ['ES256'] },
    });
    expect(challenge(r)).toBe('DPoP realm="r", algs="ES256"');
  });

  it('DPoP behind a proxy: htu is the configured origin plus the path', async () => {
    const bound = await w.sign({ cnf: { jkt: await dpopThumbprint(w.client.publicKey) } });
    const auth = createAuthenticator({ ...base, dpop: { origin: 'https://api.example' } });
    const proof = await createDpopProof({
      key: w.client.privateKey,
      method: 'GET',
      url: 'https://api.example/x?y',
      accessToken: bound,
    });
    const r = await auth.authenticate({
      method: 'GET',
      url: '/x',
      headers: { authorization: `DPoP ${bound}`, dpop: proof, host: 'internal:8080' },
    });
    expect(r.ok && r.scheme).toBe('DPoP');
    expect(r.ok && r.jkt).toBe(await dpopThumbprint(w.client.publicKey));
  });
});

describe('htu normalisation (RFC 3986 section 6.2.2, 6.2.3)', () => {
  it.each([
    ['HTTPS://API.Example:443/a/./b/../c?q#f', 'https://api.example/a/c'],
    ['http://a.example:80', 'http://a.example/'],
    ['https://a.example/%7euser/%2f', 'https://a.example/~user/%2F'],
    ['https://a.example:8443/x/', 'https://a.example:8443/x/'],
  ])('%s -> %s', (input, out) => {
    expect(normalizeHtu(input)).toBe(out);
  });

  it.each(['/relative', 'ftp://a.example/x', 'https://user:pw@a.example/x', 'not a url'])('%s is refused', (input) => {
    expect(normalizeHtu(input)).toBeUndefined();
  });
});

describe('packaging', () => {
  /** Runtime (non-type) imports reachable from a module, following relative ones. */
  function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
    const bare = new Set<string>();
    if (seen.has(file)) return bare;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        for (const b of runtimeImports(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen)) bare.add(b);
      } else if (spec.startsWith('#crypto/')) {
        // package.json "imports": on Node (no browser-like condition) #crypto/NAME is the node implementation.
        const impl = join(import.meta.dirname, '../../src/crypto/node', `${spec.slice('#crypto/'.length)}.ts`);
        for (const b of runtimeImports(impl, seen)) bare.add(b);
      } else bare.add(spec);
    }
    return bare;
  }

  it.each(['index', 'express', 'fastify', 'hono'])('jotjs/%s loads nothing but node built-ins', (name) => {
    const imports = [...runtimeImports(join(import.meta.dirname, '../../src/http', `${name}.ts`))];
    expect(imports.filter((s) => !s.startsWith('node:'))).toEqual([]);
    expect(imports).toContain('node:crypto'); // the scan does follow the module graph
  });

  it('types: claims are typed through the generic', async () => {
    const auth = createAuthenticator<{ tenant: string }>({ ...base });
    const r = await auth.authenticate(req({ authorization: `Bearer ${token}` }));
    if (r.ok) expectTypeOf(r.claims.tenant).toEqualTypeOf<string>();
  });
});

import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRemoteJwkSet,
  createVerifier,
  exportJwk,
  generateKeyPair,
  type Key,
  type RemoteJwkSetEvent,
  type RemoteJwkSetOptions,
  signJwt,
  verifyJwt,
} from '../../src/index.js';
import { type Handler, json, manualClock, startServer, type TestServer } from './_server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function pair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { kid });
  return { privateKey, jwk: await exportJwk(publicKey) };
}
const token = (key: Key, kid?: string) => signJwt({ sub: 'u' }, key, kid === undefined ? {} : { kid });
const opts = { algorithms: ['ES256'] };

function remote(path = '/jwks', options: RemoteJwkSetOptions = {}) {
  const events: RemoteJwkSetEvent[] = [];
  const set = createRemoteJwkSet(`${server!.origin}${path}`, {
    allowHttp: true,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { set, events, types: () => events.map((e) => e.type) };
}

describe('createRemoteJwkSet', () => {
  it('1,000 concurrent verifications against a cold set make exactly one request', async () => {
    const a = await pair('a');
    server = await startServer(json({ keys: [a.jwk] }));
    const { set } = remote();
    const t = await token(a.privateKey);
    const results = await Promise.all(Array.from({ length: 1000 }, () => verifyJwt(t, set, opts)));
    expect(results.every((r) => r.key.kid === 'a')).toBe(true);
    expect(server.count()).toBe(1);
    // Asynchronous by nature: verifySync refuses it, warm or not.
    expect(() => createVerifier({ key: set, algorithms: ['ES256'] }).verifySync(t)).toThrow(
      expect.objectContaining({ code: 'ERR_JOSE_NOT_SUPPORTED' }),
    );
    expect(set.jwks()?.keys.map((k) => k.kid)).toEqual(['a']);
  });

  it('rotation mid-run: a new kid is picked up, old tokens verify while published, removal honoured', async () => {
    const [a, b] = [await pair('a'), await pair('b')];
    const clock = manualClock();
    server = await startServer(json({ keys: [a.jwk] }));
    const { set } = remote('/jwks', { now: clock.now, cooldownMs: 1000 });
    const ta = await token(a.privateKey);
    const tb = await token(b.privateKey);
    expect((await verifyJwt(ta, set, opts)).key.kid).toBe('a');
    server.handle(json({ keys: [a.jwk, b.jwk] }));
    // Within the cooldown of the first fetch an unknown kid is refused without a request.
    await expect(verifyJwt(tb, set, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(server.count()).toBe(1);
    clock.advance(1000);
    expect((await verifyJwt(tb, set, opts)).key.kid).toBe('b');
    expect((await verifyJwt(ta, set, opts)).key.kid).toBe('a');
    expect(server.count()).toBe(2);
    server.handle(json({ keys: [b.jwk] }));
    clock.advance(600_000); // the default max-age: the next call refetches
    await expect(verifyJwt(ta, set, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect((await verifyJwt(tb, set, opts)).key.kid).toBe('b');
  });

  it('server down: the last good set is served (bounded); never had one: ERR_JWKS_FETCH_FAILED', async () => {
    const a = await pair('a');
    const clock = manualClock();
    server = await startServer(json({ keys: [a.jwk] }));
    const { set, types } = remote('/jwks', { now: clock.now, staleIfErrorMs: 3_600_000, cooldownMs: 10_000 });
    const t = await token(a.privateKey);
    await verifyJwt(t, set, opts);
    const origin = server.origin;
    await server.close();
    server = undefined;
    clock.advance(600_001);
    expect((await verifyJwt(t, set, opts)).key.kid).toBe('a');
    expect(types()).toEqual(['fetched', 'failed', 'served-stale']);
    // Within the cooldown of the failure: no new attempt, still stale.
    await verifyJwt(t, set, opts);
    expect(types().filter((x) => x === 'failed')).toHaveLength(1);
    clock.advance(3_600_000);
    await expect(verifyJwt(t, set, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    await expect(set.refresh()).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });

    const never = createRemoteJwkSet(`${origin}/jwks`, { allowHttp: true });
    await expect(verifyJwt(t, never, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(never.jwks()).toBeUndefined();
  });

  it('slow server: ERR_JWKS_TIMEOUT, for headers and for a body sent one byte at a time', async () => {
    const a = await pair('a');
    const t = await token(a.privateKey);
    server = await startServer(() => {}); // never answers
    await expect(verifyJwt(t, remote('/jwks', { timeoutMs: 150 }).set, opts)).rejects.toMatchObject({
      code: 'ERR_JWKS_TIMEOUT',
    });
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = JSON.stringify({ keys: [a.jwk] });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= body.length) return clearInterval(timer);
        res.write(body[i++]!);
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    await expect(verifyJwt(t, remote('/jwks', { timeoutMs: 150 }).set, opts)).rejects.toMatchObject({
      code: 'ERR_JWKS_TIMEOUT',
    });
  });

  it('oversize, compressed-bomb and malformed answers are ERR_JWKS_INVALID', async () => {
    const a = await pair('a');
    const t = await token(a.privateKey);
    const big = JSON.stringify({ keys: [a.jwk], pad: 'x'.repeat(2000) });
    const cases: [string, Handler][] = [
      ['declared too large', json(big)],
      [
        'streamed too large',
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(big.slice(0, 1000));
          res.end(big.slice(1000));
        },
      ],
      [
        'gzip bomb',
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(gzipSync(Buffer.from(`{"keys":[],"p":"${'0'.repeat(5_000_000)}"}`)));
        },
      ],
      ['not JSON', json('{"keys":[')],
      ['duplicate names', json('{"keys":[],"keys":[]}')],
      ['not an object', json('[]')],
      ['keys not an array', json({ keys: {} })],
      ['no usable key', json({ keys: [{ kty: 'foo' }] })],
      ['too many keys', json({ keys: Array.from({ length: 101 }, () => a.jwk) })],
      ['not UTF-8', (_q, res) => res.end(Buffer.from([0x7b, 0xff, 0x7d]))],
    ];
    server = await startServer();
    for (const [name, handler] of cases) {
      server.handle(handler);
      await expect(verifyJwt(t, remote('/jwks', { maxBytes: 1024 }).set, opts), name).rejects.toMatchObject({
        code: 'ERR_JWKS_INVALID',
      });
    }
    server.handle((_q, res) => {
      res.writeHead(500);
      res.end('secret internal detail');
    });
    const e = await verifyJwt(t, remote().set, opts).catch((x: Error) => x);
    expect(e).toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect((e as Error).message).not.toContain('secret internal detail');
  });

  it('private keys in a public set are skipped and reported, never used', async () => {
    const a = await generateKeyPair('ES256', { kid: 'a' });
    const b = await pair('b');
    const priv = await exportJwk(a.privateKey, { includePrivate: true });
    server = await startServer(json({ keys: [priv, b.jwk, { kty: 'oct', k: 'c2VjcmV0c2VjcmV0c2VjcmV0', kid: 'o' }] }));
    const { set, events } = remote();
    await expect(verifyJwt(await token(a.privateKey), set, opts)).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
    expect(events[0]).toMatchObject({
      type: 'fetched',
      keys: 1,
      skipped: [
        { index: 0, kid: 'a', reason: 'private' },
        { index: 2, kid: 'o', reason: 'private' },
      ],
    });
    expect(set.jwks()?.keys).toEqual([b.jwk]);
    server.handle(json({ keys: [priv] }));
    await expect(remote().set.refresh()).rejects.toMatchObject({ code: 'ERR_JWKS_INVALID' });
  });

  it('redirects: followed within bounds, loops refused, never from https: to http:', async () => {
    const a = await pair('a');
    const t = await token(a.privateKey);
    server = await startServer((req, res) => {
      if (req.url === '/jwks') return json({ keys: [a.jwk] })(req, res);
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        return res.end();
      }
      res.writeHead(301, { location: '/jwks' });
      res.end();
    });
    expect((await verifyJwt(t, remote('/moved').set, opts)).key.kid).toBe('a');
    await expect(verifyJwt(t, remote('/loop').set, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(server.count('/loop')).toBe(4); // the first request and 3 redirects
    await expect(verifyJwt(t, remote('/moved', { maxRedirects: 0 }).set, opts)).rejects.toMatchObject({
      code: 'ERR_JWKS_FETCH_FAILED',
    });
    const other = remote('/moved', { allowedHosts: ['example.com'] });
    expect((await verifyJwt(t, other.set, opts)).key.kid).toBe('a'); // same host is always allowed

    // https: -> http: through a fetch that answers like a server would.
    const seen: string[] = [];
    const downgrade = createRemoteJwkSet('https://idp.example/jwks', {
      allowHttp: true,
      fetch: async (url) => {
        seen.push(url);
        return new Response(null, { status: 302, headers: { location: `${server!.origin}/jwks` } });
      },
    });
    await expect(verifyJwt(t, downgrade, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(seen).toEqual(['https://idp.example/jwks']);
    // A fetch that followed a redirect by itself: its final URL is checked the same way.
    const followed = createRemoteJwkSet('https://idp.example/jwks', {
      fetch: async () => {
        const res = new Response(JSON.stringify({ keys: [a.jwk] }), { status: 200 });
        Object.defineProperty(res, 'url', { value: 'http://169.254.169.254/latest/meta-data/' });
        return res;
      },
    });
    await expect(verifyJwt(t, followed, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(server.count('/jwks')).toBe(2);
  });

  it('http:, file:, data: and credentials in the URL are refused without allowHttp', () => {
    for (const url of [
      'http://127.0.0.1/jwks',
      'file:///etc/passwd',
      'data:application/json,{}',
      'https://u:p@x.example/',
    ]) {
      expect(() => createRemoteJwkSet(url)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    expect(() => createRemoteJwkSet('not a url')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => createRemoteJwkSet('https://x.example/', { cooldownMs: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(() => createRemoteJwkSet('https://x.example/', { nope: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('Cache-Control max-age (clamped) and ETag revalidation; a 304 is counted', async () => {
    const a = await pair('a');
    const t = await token(a.privateKey);
    const clock = manualClock();
    server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { 'cache-control': 'max-age=120', etag: '"v1"' });
        return res.end();
      }
      json({ keys: [a.jwk] }, { 'cache-control': 'public, max-age=120', etag: '"v1"' })(req, res);
    });
    const { set, types } = remote('/jwks', { now: clock.now, refreshAheadMs: 0 });
    await verifyJwt(t, set, opts);
    clock.advance(119_000);
    await verifyJwt(t, set, opts);
    expect(server.count()).toBe(1);
    clock.advance(1000);
    await verifyJwt(t, set, opts);
    expect(server.count()).toBe(2);
    expect(server.requests[1]!.ifNoneMatch).toBe('"v1"');
    expect(types()).toEqual(['fetched', 'not-modified']);

    // max-age=0 is raised to the floor; a huge max-age is cut to the ceiling.
    server.handle(json({ keys: [a.jwk] }, { 'cache-control': 'max-age=0' }));
    const floor = remote('/jwks', { now: clock.now, minMaxAgeMs: 5000, refreshAheadMs: 0 });
    await verifyJwt(t, floor.set, opts);
    clock.advance(4999);
    await verifyJwt(t, floor.set, opts);
    expect(floor.types()).toEqual(['fetched']);
    clock.advance(1);
    await verifyJwt(t, floor.set, opts);
    expect(floor.types()).toEqual(['fetched', 'fetched']);
    server.handle(json({ keys: [a.jwk] }, { 'cache-control': 'max-age=999999999' }));
    const ceiling = remote('/jwks', { now: clock.now, maxMaxAgeMs: 60_000, refreshAheadMs: 0 });
    await verifyJwt(t, ceiling.set, opts);
    clock.advance(60_000);
    await verifyJwt(t, ceiling.set, opts);
    expect(ceiling.types()).toEqual(['fetched', 'fetched']);
  });

  it('refreshes ahead of expiry in the background', async () => {
    const a = await pair('a');
    const t = await token(a.privateKey);
    const clock = manualClock();
    server = await startServer(json({ keys: [a.jwk] }, { 'cache-control': 'max-age=100' }));
    const { set, types } = remote('/jwks', { now: clock.now, refreshAheadMs: 10_000 });
    await verifyJwt(t, set, opts);
    clock.advance(95_000);
    await verifyJwt(t, set, opts); // answered from the cache, a refresh started
    await expect.poll(() => server!.count()).toBe(2);
    await expect.poll(types).toEqual(['fetched', 'fetched']);
    clock.advance(10_000); // past the first expiry, within the refreshed one
    await verifyJwt(t, set, opts);
    expect(server.count()).toBe(2);
  });

  it('a flood of random unknown kids causes at most one fetch per cooldown', async () => {
    const a = await pair('a');
    const clock = manualClock();
    server = await startServer(json({ keys: [a.jwk] }));
    const { set } = remote('/jwks', { now: clock.now, cooldownMs: 30_000 });
    const forged = await Promise.all(Array.from({ length: 1000 }, () => token(a.privateKey, randomUUID())));
    const results = await Promise.allSettled(forged.map((f) => verifyJwt(f, set, opts)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(server.count()).toBe(1);
    clock.advance(30_000);
    await Promise.allSettled(forged.map((f) => verifyJwt(f, set, opts)));
    expect(server.count()).toBe(2);
    clock.advance(10_000);
    await Promise.allSettled(forged.map((f) => verifyJwt(f, set, opts)));
    expect(server.count()).toBe(2);
  });

  it('never fetches a URL named by the token (jku, x5u: A09)', async () => {
    const a = await pair('a');
    const attacker = await generateKeyPair('ES256', { kid: 'atk' });
    server = await startServer(json({ keys: [a.jwk] }));
    const { set } = remote();
    for (const header of [{ jku: `${server.origin}/attacker` }, { x5u: `${server.origin}/attacker` }]) {
      const forged = await signJwt({ sub: 'admin' }, attacker.privateKey, { header });
      await expect(verifyJwt(forged, set, opts)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    }
    expect(server.count('/attacker')).toBe(0);
    expect(server.count('/jwks')).toBe(1);
  });

  it('sends custom headers and uses a custom fetch', async () => {
    const a = await pair('a');
    server = await startServer(json({ keys: [a.jwk] }));
    let calls = 0;
    const { set } = remote('/jwks', {
      headers: { 'User-Agent': 'jot-test', 'x-api-key': 'k' },
      fetch: (url, init) => {
        calls++;
        return fetch(url, init);
      },
    });
    await set.refresh();
    expect(calls).toBe(1);
    expect(server.requests[0]!.headers['user-agent']).toBe('jot-test');
    expect(server.requests[0]!.headers['x-api-key']).toBe('k');
  });

  it('a failing hook never breaks verification; the unknown-kid refetch joins a fetch in flight', async () => {
    const a = await pair('a');
    server = await startServer(json({ keys: [a.jwk] }));
    const set = createRemoteJwkSet(`${server.origin}/jwks`, {
      allowHttp: true,
      onEvent: () => {
        throw new Error('boom');
      },
    });
    const [r1, r2] = await Promise.allSettled([
      verifyJwt(await token(a.privateKey), set, opts),
      verifyJwt(await token(a.privateKey, 'zzz'), set, opts),
    ]);
    expect(r1.status).toBe('fulfilled');
    expect(r2).toMatchObject({ status: 'rejected', reason: { code: 'ERR_JWKS_NO_MATCHING_KEY' } });
    expect(server.count()).toBe(1);
  });
});

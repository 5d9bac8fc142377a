// jotjs/debugger over a real node:http server on 127.0.0.1: the page's files under the strict CSP, and the JWKS
// fetcher's refusals (E14: other sites and DNS rebinding cannot use it) and bounds (E01, E02), against real
// loopback JWKS servers.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebuggerHandler } from '../../src/debugger/index.js';
import { exportJwk, generateKeyPair, JotError } from '../../src/index.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function listen(handler: (req: any, res: any) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let page: { server: Server; port: number };
let keys: { server: Server; port: number };
const served = { ...(await exportJwk((await generateKeyPair('ES256', { kid: 'k1' })).publicKey)) };
const secretJwk = await exportJwk((await generateKeyPair('ES256', { kid: 'p1' })).privateKey, { includePrivate: true });

beforeAll(async () => {
  const handler = createDebuggerHandler({ fetchTimeoutMs: 500 });
  page = await listen((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end('other');
  });
  keys = await listen((req, res) => {
    if (req.url === '/jwks')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [served, secretJwk] }));
    else if (req.url === '/redirect') res.writeHead(302, { location: 'http://127.0.0.2/jwks' }).end();
    else if (req.url === '/huge') res.writeHead(200).end(JSON.stringify({ keys: [], pad: 'x'.repeat(600_000) }));
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('{"keys":[]}'), 3000);
    else res.writeHead(404).end();
  });
});
afterAll(() => {
  page.server.close();
  keys.server.closeAllConnections();
  keys.server.close();
});

/** A fetch request as the page makes it: same origin, JSON. */
const ask = (url: unknown, headers: Record<string, string> = {}) =>
  call(
    page.port,
    'POST',
    '/debugger/jwks',
    {
      host: `127.0.0.1:${page.port}`,
      origin: `http://127.0.0.1:${page.port}`,
      'content-type': 'application/json',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    JSON.stringify({ url }),
  );

describe('jotjs/debugger: the page', () => {
  it('serves the page, its script and style under the strict CSP; other paths are left to the caller', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/debugger.js', 'text/javascript'],
      ['/debugger.css', 'text/css'],
      ['/favicon.svg', 'image/svg+xml'],
    ] as const) {
      const r = await call(page.port, 'GET', path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toContain(type);
      expect(r.headers['content-security-policy']).toBe(CSP);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
    expect((await call(page.port, 'GET', '/elsewhere')).body).toBe('other');
    expect((await call(page.port, 'POST', '/')).status).toBe(405);
    const head = await call(page.port, 'HEAD', '/');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('the HTML has no inline script, no inline style, no event handler attribute and no other origin', async () => {
    const html = (await call(page.port, 'GET', '/')).body;
    expect(html).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'web', 'index.html'), 'utf8'));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => [m[1]!.trim(), m[2]])).toEqual([['type="module" src="/debugger.js"', '']]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html.match(/(?:src|href)="[^"]*"/g)).toEqual([
      'href="/favicon.svg"',
      'href="/debugger.css"',
      'src="/debugger.js"',
    ]);
    expect(html).not.toMatch(/https?:\/\/(?!issuer\.example)/);
  });

  it('options are checked: ERR_INVALID_OPTION', () => {
    for (const bad of [{ jwksFetch: 'yes' }, { fetchTimeoutMs: 0 }, { fetchTimeoutMs: 60_000 }, { other: 1 }, 'x']) {
      expect(() => createDebuggerHandler(bad as object)).toThrow(JotError);
    }
    const off = createDebuggerHandler({ jwksFetch: false });
    expect(off({ url: '/debugger/jwks', method: 'POST' } as any, {} as any)).toBe(false);
  });
});

describe('jotjs/debugger: the JWKS fetcher', () => {
  it('fetches a loopback JWKS when asked and answers only its usable public keys', async () => {
    const r = await ask(`http://127.0.0.1:${keys.port}/jwks`);
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(CSP);
    expect(JSON.parse(r.body).keys.map((k: { kid: string }) => k.kid)).toEqual(['k1']);
    expect(r.body).not.toContain('"d"');
  });

  it('E14: refuses other origins, other Host names (DNS rebinding), simple requests and other methods', async () => {
    const url = `http://127.0.0.1:${keys.port}/jwks`;
    expect((await ask(url, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await ask(url, { origin: 'null' })).status).toBe(403);
    expect(
      (await ask(url, { host: `evil.example:${page.port}`, origin: `http://evil.example:${page.port}` })).status,
    ).toBe(403);
    expect((await ask(url, { host: '127.0.0.1:1', origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await ask(url, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await ask(url, { 'content-type': 'text/plain' })).status).toBe(415);
    const noOrigin = await call(
      page.port,
      'POST',
      '/debugger/jwks',
      {
        host: `127.0.0.1:${page.port}`,
        'content-type': 'application/json',
      },
      JSON.stringify({ url }),
    );
    expect(noOrigin.status).toBe(403);
    expect((await call(page.port, 'GET', '/debugger/jwks')).status).toBe(405);
    // localhost names the same origin.
    const local = await ask(url, { host: `localhost:${page.port}`, origin: `http://localhost:${page.port}` });
    expect(local.status).toBe(200);
  });

  it('E01: https only; plain http only to loopback, never redirected; no credentials; bad bodies', async () => {
    const refused = async (url: unknown) => {
      const r = await ask(url);
      expect(r.status, String(url)).toBe(400);
      return JSON.parse(r.body).error as string;
    };
    expect(await refused('http://example.com/jwks')).toMatch(/only https/);
    expect(await refused('ftp://127.0.0.1/jwks')).toMatch(/only https/);
    expect(await refused('file:///etc/passwd')).toMatch(/only https/);
    expect(await refused(`http://user:pw@127.0.0.1:${keys.port}/jwks`)).toMatch(/credentials/);
    expect(await refused('not a url')).toMatch(/not a URL/);
    expect(await refused(42)).toMatch(/give/);
    expect(await refused('x'.repeat(3000))).toMatch(/give|too large/);
    const redirect = await ask(`http://127.0.0.1:${keys.port}/redirect`);
    expect(redirect.status).toBe(502);
    expect(JSON.parse(redirect.body).code).toBe('ERR_JWKS_FETCH_FAILED');
  });

  it('E02: the size cap and the timeout of createRemoteJwkSet hold', async () => {
    const huge = await ask(`http://127.0.0.1:${keys.port}/huge`);
    expect(huge.status).toBe(502);
    expect(JSON.parse(huge.body).code).toBe('ERR_JWKS_INVALID');
    const slow = await ask(`http://127.0.0.1:${keys.port}/slow`);
    expect(slow.status).toBe(502);
    expect(JSON.parse(slow.body).code).toBe('ERR_JWKS_TIMEOUT');
  });
});

// The offline debugger page end to end in real headless Chromium (Debian chromium, driven by playwright-core), served
// by jotjs/debugger on 127.0.0.1: decode, verify (valid, tampered, expired, wrong audience, a fetched JWKS), sign on
// the page and verify in Node, decrypt a nested JWE, the audit, keyboard-only use, a 360-pixel screen, axe-core, and
// privacy: no request leaves 127.0.0.1, the token is never in the URL, in storage or in the console (E14).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDebuggerHandler } from '../../src/debugger/index.js';
import {
  exportJwk,
  generateKeyPair,
  importKey,
  type Key,
  signAndEncryptJwt,
  signJwt,
  verifyJwt,
} from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const present = existsSync(CHROMIUM);
if (!present) {
  const message = `${CHROMIUM} not found: install the Debian package chromium`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`debugger page tests skipped: ${message}`);
}

let server: Server;
let origin = '';
let jwksServer: Server;
let jwksUrl = '';
let context: BrowserContext;
let page: Page;
let profile = '';
const requests: string[] = [];
const consoleLines: string[] = [];
let signing: { privateKey: Key; publicKey: Key };
let publicJwk: Record<string, unknown>;
const ISS = 'https://issuer.example';

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!present) return;
  signing = await generateKeyPair('ES256', { kid: 'k1' });
  publicJwk = { ...(await exportJwk(signing.publicKey)) };
  const handler = createDebuggerHandler();
  server = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  origin = await listen(server);
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  jwksUrl = `${await listen(jwksServer)}/jwks.json`;
  profile = mkdtempSync(join(tmpdir(), 'jot-chromium-'));
  context = await launchChromium(profile);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
}, 120_000);

afterAll(async () => {
  if (!present) return;
  await context?.close();
  server?.close();
  jwksServer?.close();
  rmSync(profile, { recursive: true, force: true });
});

beforeEach(async () => {
  if (!present) return;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${origin}/`);
});

const token = (claims: Record<string, unknown> = {}, options = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub: 'user-42', aud: 'api', iat: now, exp: now + 600, ...claims }, signing.privateKey, {
    issuer: ISS,
    typ: 'at+jwt',
    issuedAt: false,
    ...options,
  });
};

// innerText (not textContent): the lines as the user sees them.
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked
const text = (selector: string) => page.locator(selector).innerText();

async function paste(t: string): Promise<void> {
  await page.fill('#token', '');
  await page.waitForFunction(() => document.querySelector('#token-status')?.textContent === '');
  await page.fill('#token', t);
  await page.waitForFunction(() => document.querySelector('#token-status')?.textContent !== '');
}

async function verify(key: string, fields: Record<string, string>): Promise<string> {
  await page.fill('#verify-key', key);
  for (const [id, v] of Object.entries(fields)) await page.fill(`#${id}`, v);
  await page.click('#verify');
  await page.waitForFunction(() => (document.querySelector('#verify-outcome')?.textContent ?? '') !== '');
  return text('#verify-outcome');
}

/** Nothing pasted went anywhere: every request was to the page's server; URL, storage and console are clean. */
async function assertPrivate(secrets: string[]): Promise<void> {
  expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
  const state = await page.evaluate(() => ({
    url: location.href,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    history: history.length,
  }));
  expect(state.url).toBe(`${origin}/`);
  expect([state.local, state.session, state.cookie]).toEqual(['{}', '{}', '']);
  for (const s of secrets) {
    expect(requests.some((u) => u.includes(s.slice(0, 20)))).toBe(false);
    expect(consoleLines.some((l) => l.includes(s.slice(0, 20)))).toBe(false);
  }
  expect(consoleLines).toEqual([]); // no CSP violation, no error, no log
}

describe.skipIf(!present)('the debugger page in Chromium', () => {
  it('paste a token: parts colour-coded, header and claims pretty-printed, times in words, live countdown', async () => {
    const t = await token();
    await paste(t);
    expect(await text('#token-status')).toBe('JWS, compact serialization, alg ES256. Decoded only: not verified.');
    expect(await page.locator('#token-parts .part').count()).toBe(3);
    expect(await text('#token-parts .legend')).toBe('header\npayload\nsignature');
    expect(await text('#headers')).toContain('"alg": "ES256"');
    const claims = await text('#claims');
    expect(claims).toContain('"sub": "user-42"');
    expect(claims).toMatch(/"exp": \d+, {2}\/\/ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, in (9|10) min/);
    const first = await text('#countdown');
    expect(first).toMatch(/^Expires in (9|10) min \d+ s/);
    await page.waitForFunction((before) => document.querySelector('#countdown')?.textContent !== before, first);
    expect(await text('#findings')).toContain('No findings.');
    await assertPrivate([t]);
  });

  it('verify: a valid token, a tampered one, an expired one and a wrong audience, each in words', async () => {
    const t = await token();
    await paste(t);
    const jwk = JSON.stringify(publicJwk);
    const fields = { 'verify-algs': 'ES256', 'verify-iss': ISS, 'verify-aud': 'api' };
    expect(await verify(jwk, fields)).toMatch(/^Valid: the signature verifies and the claims pass the checks\n/);
    const [h, , s] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', aud: 'api', exp: 4e9, iss: ISS })).toString('base64url');
    await paste(`${h}.${forged}.${s}`);
    const bad = await verify(jwk, fields);
    expect(bad).toMatch(/^Signature check failed: the signature does not match\n/);
    await paste(await token({ exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 900 }));
    const expired = await verify(jwk, { ...fields, 'verify-leeway': '30' });
    expect(expired).toMatch(
      /^Expiry check failed: the token has expired\nexp: .* \(2 min \d+ s ago\)\nnow: .*; leeway: 30 s/,
    );
    await paste(t);
    const aud = await verify(jwk, { ...fields, 'verify-aud': 'billing', 'verify-leeway': '' });
    expect(aud).toMatch(/^Claim check failed: aud \(mismatch\)\nExpected: billing\nFound: "api"/);
    // A04: the header switched to HS256 (the public key as an HMAC secret) is refused by the allow-list.
    const hs = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })).toString('base64url');
    await paste(`${hs}.${t.split('.')[1]}.${s}`);
    const alg = await verify(jwk, { ...fields, 'verify-aud': 'api' });
    expect(alg).toMatch(/^Algorithm check failed\nExpected: ES256 \(or the key's own algorithm\)\nFound: "HS256"/);
    await assertPrivate([t]);
  });

  it('verify with a JWKS URL fetched through the page server only when asked', async () => {
    const t = await token();
    await paste(t);
    const before = requests.length;
    await page.fill('#verify-jwks-url', jwksUrl);
    expect(requests.length).toBe(before); // typing fetches nothing
    await page.click('#fetch-jwks');
    await page.waitForFunction(() =>
      /Fetched 1 usable/.test(document.querySelector('#verify-outcome')?.textContent ?? ''),
    );
    expect(requests.slice(before)).toEqual([`${origin}/debugger/jwks`]);
    await page.fill('#verify-algs', 'ES256');
    await page.fill('#verify-aud', 'api');
    await page.click('#verify');
    await page.waitForFunction(() => /^Valid/.test(document.querySelector('#verify-outcome')?.textContent ?? ''));
    expect(await text('#verify-outcome')).toContain('kid "k1"');
    await assertPrivate([t]);
  });

  it('create and sign on the page (a generated key), then verify with the library here', async () => {
    await page.selectOption('#sign-alg', 'ES384');
    await page.click('#generate');
    await page.waitForFunction(
      () => (document.querySelector<HTMLTextAreaElement>('#export-public-jwk')?.value ?? '') !== '',
    );
    expect(await page.inputValue('#export-public-pem')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(await page.inputValue('#export-private-pem')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const claims = await page.inputValue('#sign-claims');
    await page.fill('#sign-claims', claims.replace('"user-1"', '"signed-on-the-page"'));
    await page.click('#sign');
    await page.waitForFunction(
      () => (document.querySelector<HTMLTextAreaElement>('#signed-token')?.value ?? '') !== '',
    );
    const signed = await page.inputValue('#signed-token');
    const key = await importKey(JSON.parse(await page.inputValue('#export-public-jwk')));
    const { payload, protectedHeader } = await verifyJwt(signed, key, {
      algorithms: ['ES384'],
      issuer: 'https://issuer.example',
      audience: 'api',
    });
    expect(payload.sub).toBe('signed-on-the-page');
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'ES384' });
    // And back on the page: decode it, verify it with the exported public key.
    await page.click('#open-signed');
    await page.click('#use-public');
    await page.fill('#verify-algs', 'ES384');
    await page.fill('#verify-aud', 'api');
    await page.click('#verify');
    await page.waitForFunction(() => /^Valid/.test(document.querySelector('#verify-outcome')?.textContent ?? ''));
    await assertPrivate([signed]);
  });

  it('decrypt a nested JWE (signed, then encrypted) and show the inner layer with its audit', async () => {
    const enc = await generateKeyPair('ECDH-ES+A256KW');
    const nested = await signAndEncryptJwt(
      { sub: 'inner-user', aud: 'api', exp: 4e9 },
      signing.privateKey,
      enc.publicKey,
      {
        sign: { issuer: ISS },
        encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
      },
    );
    await paste(nested);
    expect(await text('#token-status')).toMatch(/^JWE, compact serialization, alg ECDH-ES\+A256KW/);
    expect(await page.locator('#token-parts .part').count()).toBe(5);
    expect(await text('#claims')).toContain('The claims are encrypted');
    await page.fill('#decrypt-key', JSON.stringify(await exportJwk(enc.privateKey, { includePrivate: true })));
    await page.click('#decrypt');
    await page.waitForFunction(() => (document.querySelector('#decrypt-outcome')?.textContent ?? '') !== '');
    expect(await text('#decrypt-outcome')).toMatch(/^Decrypted: the content is a nested token\n/);
    expect(await text('#inner-claims')).toContain('"sub": "inner-user"');
    expect(await text('#inner-findings')).toMatch(/MEDIUM lifetime \d+ d \(exp - iat\) exceeds 24 h/);
    await page.click('#open-inner');
    expect(await text('#token-status')).toBe('JWS, compact serialization, alg ES256. Decoded only: not verified.');
    await assertPrivate([nested]);
  });

  it('A01: an alg none token shows a high-severity finding first', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await paste(`${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`);
    const first = page.locator('#findings li.finding').first();
    expect(await first.getAttribute('data-id')).toBe('alg-none');
    expect(await first.getAttribute('class')).toBe('finding high');
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked
    expect(await first.innerText()).toMatch(
      /^HIGH the token is unsecured \(alg: "none"\): anyone can forge it\nFix: reject alg none/,
    );
  });

  it('keyboard only: focus order follows the page, verify with Enter, clear with Space', async () => {
    const t = await token();
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(order).toEqual([
      'clear',
      'token',
      'verify-key-format',
      'verify-key',
      'verify-jwks-url',
      'fetch-jwks',
      'verify-algs',
      'verify-leeway',
      'verify-iss',
      'verify-aud',
      'verify',
      'decrypt-key-format',
    ]);
    await page.keyboard.press('Shift+Tab'); // back to Verify
    for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.insertText(t);
    await page.waitForFunction(() => document.querySelector('#token-status')?.textContent !== '');
    // The decoded header and claims come next: scrollable blocks, reachable by keyboard.
    const where = () =>
      page.evaluate(() => `${document.activeElement?.closest('[id]')?.id} ${document.activeElement?.tagName}`);
    await page.keyboard.press('Tab');
    expect(await where()).toBe('headers PRE');
    await page.keyboard.press('Tab');
    expect(await where()).toBe('claims PRE');
    await page.keyboard.press('Tab');
    expect(await where()).toBe('verify-key-format SELECT');
    await page.keyboard.press('Tab');
    await page.keyboard.insertText(JSON.stringify(publicJwk));
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.insertText('ES256');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.insertText('api');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^Valid/.test(document.querySelector('#verify-outcome')?.textContent ?? ''));
    await page.focus('#clear');
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    expect(await page.inputValue('#token')).toBe('');
    expect(await page.inputValue('#verify-key')).toBe('');
    expect(await text('#verify-outcome')).toBe('');
    expect(await page.locator('#decoded').isHidden()).toBe(true);
    await assertPrivate([t]);
  });

  it('axe-core finds no violation, wide and at 360 pixels; no horizontal scrolling; screenshots', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const t = await token();
    // Saved on every run under .tmp/screenshots (not committed); UPDATE_SCREENSHOTS=1 writes docs/img, the README's.
    const shots =
      process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'img') : join(ROOT, '.tmp', 'screenshots');
    mkdirSync(shots, { recursive: true });
    for (const [width, name] of [
      [1280, 'debugger-wide.png'],
      [360, 'debugger-narrow.png'],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await paste(t);
      await page.fill('#verify-key', JSON.stringify(publicJwk, null, 2));
      await page.fill('#verify-algs', 'ES256');
      await page.fill('#verify-aud', 'api');
      await page.click('#verify');
      await page.waitForFunction(() => /^Valid/.test(document.querySelector('#verify-outcome')?.textContent ?? ''));
      // axe runs through the DevTools protocol: the page's CSP (no inline script) stays on.
      const violations = await page.evaluate(`${axe};
        axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })
          .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
      expect(violations, `${width}px`).toEqual([]);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, `${width}px`).toBeLessThanOrEqual(width);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, name), fullPage: width !== 360 });
      expect(statSync(join(shots, name)).size).toBeGreaterThan(10_000);
    }
    expect(consoleLines).toEqual([]);
  });
});

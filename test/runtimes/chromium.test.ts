// The browser bundles in headless Chromium (Debian's `chromium`, driven by playwright-core; no browser download):
// a page served from a real HTTP server on 127.0.0.1 loads jot-all.min.js and jot-verify.min.js, signs and
// verifies (HS256, ES256, EdDSA, RS256: signed with the full bundle, verified with the verify-only bundle from
// the exported public JWK), encrypts and decrypts (dir + A256GCM, ECDH-ES+A256KW, RSA-OAEP-256), then runs the
// portable conformance script; the test reads the results back from the page.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { describe, expect, it } from 'vitest';
import { OUT, type Results, record, tempDir, unavailable } from './harness.js';

const why = unavailable(
  'Chromium',
  existsSync(CHROMIUM) ? undefined : `no ${CHROMIUM}: install the Debian package chromium`,
);

const SCENARIO = `
const out = {};
const text = new TextEncoder();
async function scenario(jot, verifyOnly) {
  const r = {};
  for (const alg of ['HS256', 'ES256', 'EdDSA', 'RS256']) {
    const hmac = alg === 'HS256';
    const pair = hmac ? undefined : await jot.generateKeyPair(alg);
    const signKey = hmac ? await jot.generateSecret(alg) : pair.privateKey;
    const token = await jot.signJwt({ sub: 'browser' }, signKey, { audience: 'page', expiresIn: 60 });
    const jwk = await jot.exportJwk(hmac ? signKey : pair.publicKey, { includePrivate: hmac });
    const key = await verifyOnly.importKey(jwk);
    const { payload } = await verifyOnly.verifyJwt(token, key, { audience: 'page' });
    let refused = false;
    try { await verifyOnly.verifyJwt(token.slice(0, -4) + (token.endsWith('AAAA') ? 'AAAQ' : 'AAAA'), key, { audience: 'page' }); }
    catch (e) { refused = e.code; }
    r['JWS ' + alg] = payload.sub === 'browser' && refused === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'ok' : 'fail:' + refused;
  }
  for (const [alg, make] of [
    ['dir', () => jot.generateSecret('A256GCM')],
    ['ECDH-ES+A256KW', () => jot.generateKeyPair('ECDH-ES+A256KW')],
    ['RSA-OAEP-256', () => jot.generateKeyPair('RSA-OAEP-256')],
  ]) {
    const k = await make();
    const jwe = await jot.encryptJwt({ sub: 'browser' }, k.publicKey ?? k, { enc: 'A256GCM', expiresIn: 60 });
    const { payload, protectedHeader } = await jot.decryptJwt(jwe, k.privateKey ?? k);
    r['JWE ' + alg + ' + A256GCM'] = payload.sub === 'browser' && protectedHeader.alg === alg ? 'ok' : 'fail';
  }
  return r;
}
try {
  const jot = await import('/bundles/jot-all.min.js');
  const verifyOnly = await import('/bundles/jot-verify.min.js');
  out.userAgent = navigator.userAgent;
  out.scenario = await scenario(jot, verifyOnly);
  out.conformance = await (await import('/bundles/conformance.js')).run();
} catch (e) {
  out.error = String((e && e.stack) || e);
}
window.__jot = out;
`;

const FILES: Record<string, [string, () => string | Buffer]> = {
  '/': [
    'text/html',
    () => '<!doctype html><meta charset="utf-8"><title>jot</title><script type="module" src="/page.js"></script>',
  ],
  '/page.js': ['text/javascript', () => SCENARIO],
  '/bundles/jot-all.min.js': ['text/javascript', () => readFileSync(join(OUT, 'jot-all.min.js'))],
  '/bundles/jot-verify.min.js': ['text/javascript', () => readFileSync(join(OUT, 'jot-verify.min.js'))],
  '/bundles/conformance.js': ['text/javascript', () => readFileSync(join(OUT, 'conformance.js'))],
};

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const file = FILES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': `${file[0]}; charset=utf-8`, 'cache-control': 'no-store' }).end(file[1]());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface PageOut {
  version?: string;
  userAgent?: string;
  scenario?: Record<string, string>;
  conformance?: Results;
  error?: string;
}

async function inChromium(): Promise<PageOut> {
  const server = await serve();
  const [profile, done] = tempDir('jot-chromium-');
  const context = await launchChromium(profile);
  try {
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (globalThis as any).__jot !== undefined, null, { timeout: 180_000 });
    const out = (await page.evaluate(() => (globalThis as any).__jot)) as PageOut;
    expect(out.error, logs.join('\n')).toBeUndefined();
    const version = context.browser()?.version();
    return version === undefined ? out : { ...out, version };
  } finally {
    await context.close();
    await new Promise((r) => server.close(r));
    done();
  }
}

describe.skipIf(why !== undefined)('the browser bundles in headless Chromium', () => {
  it('signs, verifies, encrypts and decrypts with the bundles, and passes the conformance script', async () => {
    const out = await inChromium();
    expect(out.scenario).toEqual({
      'JWS HS256': 'ok',
      'JWS ES256': 'ok',
      'JWS EdDSA': 'ok',
      'JWS RS256': 'ok',
      'JWE dir + A256GCM': 'ok',
      'JWE ECDH-ES+A256KW + A256GCM': 'ok',
      'JWE RSA-OAEP-256 + A256GCM': 'ok',
    });
    const version = out.version ?? /Chrome\/([\d.]+)/.exec(out.userAgent ?? '')?.[1] ?? 'unknown';
    record('chromium', `chromium ${version}`, out.conformance!);
  });
});

// An issuer and a resource server on a runtime without node:crypto: the WebCrypto build (dist/browser/) on Deno,
// bundled for the browser platform so that any node: import left in the path fails the build. A key ring (`jotjs`)
// signs the access token and Hono serves its JWKS; Hono's adapter (`jotjs/hono`) checks DPoP: proofs, ath, replay,
// the RFC 7638 binding and server nonces, all through the web crypto implementation.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARIES, bundleWebScript, tempDir, unavailable } from './harness.js';

const bin = BINARIES.deno();
const why = unavailable(
  'Deno',
  bin ? undefined : 'no @deno/linux-x64-glibc binary (npm ci installs it on linux-x64 glibc)',
);

describe.skipIf(why !== undefined)('a key ring and DPoP through jotjs/hono on Deno (WebCrypto build)', () => {
  it('the ring signs and publishes; DPoP accepts a bound proof and refuses a replay, another key, a wrong ath, bearer use and a forged nonce', async () => {
    const [dir, done] = tempDir('jot-hono-dpop-deno-');
    try {
      const outfile = join(dir, 'hono-dpop.js');
      await bundleWebScript('hono-dpop.js', outfile, {
        jotjs: 'index.js',
        'jotjs/http': 'http/index.js',
        'jotjs/hono': 'http/hono.js',
      });
      const env = { ...process.env, DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
      const stdout = execFileSync(bin!, ['run', '--quiet', '--no-prompt', '--no-config', '--no-npm', outfile], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      const refused = (error: string) => ({ status: 401, error });
      expect(r).toEqual({
        accepted: { status: 200, body: { sub: 'alice', scheme: 'DPoP' } },
        replayed: refused('invalid_dpop_proof'),
        otherKey: refused('invalid_token'),
        wrongAth: refused('invalid_dpop_proof'),
        bearer: refused('invalid_token'),
        nonceAsked: { status: 401, error: 'use_dpop_nonce', nonce: 'present' },
        withNonce: { status: 200, body: { sub: 'alice', scheme: 'DPoP' } },
        forgedNonce: { status: 401, error: 'use_dpop_nonce', nonce: expect.any(String) },
        jwks: { status: 200, cacheControl: 'public, max-age=600', kids: true, private: false, handler: false },
        ath: true,
      });
    } finally {
      done();
    }
  }, 180_000);
});

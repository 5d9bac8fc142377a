// The WebCrypto build's ML-DSA provider choice (src/crypto/web/ml-dsa.ts) on this node. Node 20's WebCrypto has no
// ML-DSA: the feature test (a real key generation per parameter set) finds none, and the web build falls back to
// the pure-JS provider, which a child `node --conditions=browser` shows through a spy on crypto.subtle. Deno, whose
// WebCrypto has ML-DSA, proves the native path (test/runtimes/ml-dsa-deno.test.ts).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import { ML_DSA_PARAMETERS } from '../../src/alg/ml-dsa.js';
import { asyncNativeMlDsa, nativeMlDsa } from '../../src/crypto/web/ml-dsa.js';

const root = join(import.meta.dirname, '..', '..');

/** Does this node's WebCrypto generate ML-DSA keys of every parameter set? */
async function webCryptoHasMlDsa(): Promise<boolean> {
  try {
    for (const alg of Object.keys(ML_DSA_PARAMETERS)) {
      await crypto.subtle.generateKey({ name: alg }, false, ['sign', 'verify']);
    }
    return true;
  } catch {
    return false;
  }
}

const hasIt = await webCryptoHasMlDsa();

describe('ML-DSA on the WebCrypto build, under node', () => {
  it('has no synchronous native provider (WebCrypto is asynchronous)', () => {
    expect(nativeMlDsa()).toBeUndefined();
  });

  it(`the feature test ${hasIt ? 'finds WebCrypto ML-DSA' : 'finds no WebCrypto ML-DSA (Node 20)'}`, async () => {
    const provider = await asyncNativeMlDsa();
    if (!hasIt) {
      expect(provider).toBeUndefined();
      return;
    }
    // A node whose WebCrypto gained ML-DSA: the provider is WebCrypto's and agrees with the pure-JS implementation.
    expect(provider?.name).toBe('webcrypto');
    const p = ML_DSA_PARAMETERS['ML-DSA-65']!;
    const { publicKey, secretKey } = ml_dsa65.keygen(new Uint8Array(32).fill(7));
    expect(await provider!.publicFromSeed(p, new Uint8Array(32).fill(7))).toEqual(publicKey);
    const data = new TextEncoder().encode('agree');
    expect(await provider!.verify(p, publicKey, data, ml_dsa65.sign(data, secretKey))).toBe(true);
    const sig = await provider!.sign(p, new Uint8Array(32).fill(7), publicKey, data);
    expect(ml_dsa65.verify(sig, data, publicKey)).toBe(true);
  });

  it(`the web build signs and verifies through ${hasIt ? 'WebCrypto' : 'the pure-JS fallback'}`, () => {
    const out = execFileSync(
      process.execPath,
      ['--conditions=browser', '--no-warnings', join(import.meta.dirname, 'fixtures', 'ml-dsa-web-runner.mjs')],
      { cwd: root, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
      probed: string[];
      used: string[];
      token: string;
      jwk: { pub: string };
    };
    // The feature test ran: a real key generation with each parameter set was asked of WebCrypto.
    for (const alg of Object.keys(ML_DSA_PARAMETERS)) expect(r.probed).toContain(`generateKey ${alg}`);
    if (hasIt) expect(r.used).toEqual(expect.arrayContaining(['sign ML-DSA-65', 'verify ML-DSA-65']));
    else expect(r.used).toEqual([]); // signed and verified without WebCrypto: the pure-JS provider
    // Either way, a genuine ML-DSA-65 signature of the token's signing input.
    const [h, p, s] = r.token.split('.');
    const pub = Buffer.from(r.jwk.pub, 'base64url');
    expect(ml_dsa65.verify(Buffer.from(s!, 'base64url'), Buffer.from(`${h}.${p}`), pub)).toBe(true);
    expect(ml_dsa65.verify(Buffer.from(s!, 'base64url'), Buffer.from(`${h}.x`), pub)).toBe(false);
  });
});

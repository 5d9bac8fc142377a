// The browser bundles (scripts/bundle.js, built by the global setup): what the verify-only bundle contains, read
// from esbuild's metafile (the module list, not only the size), its size budget, and the README's size table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, no types
import { bundleModules, OUT, ROOT, SIZE_BEGIN, SIZE_END, sizeTable, WEB_ENTRY } from '../../scripts/bundle.js';

interface Size {
  minified: number;
  gzipped: number;
}
const sizes = (): Record<string, Size> => JSON.parse(readFileSync(join(OUT, 'sizes.json'), 'utf8')).sizes;

/** Source modules a JWT verification must never pull in: JWE (its operations and crypto), key generation, revocation,
 * X.509 chains.
 * `alg/jwe.ts` is the frozen table of JWE algorithm names (data, which key import consults) and is allowed. The
 * bundles are of the published dist/ (itself bundled): bundleModules names the source modules of each chunk kept. */
const FORBIDDEN = [
  /^src\/jwe\//,
  /^src\/crypto\/.*jwe/,
  /generate/,
  /revocation/,
  /^src\/key\/jwe-policy/,
  /x509|^src\/crypto\/cert\.ts$/, // certificate chains (the web entry exports them; a verify bundle must drop them)
  /sync-digest/, // the JavaScript SHA-256 that DPoP and x5t#S256 use on WebCrypto
];

/** The verify bundle's gzipped size may not exceed this: the size measured when it was set, plus about 15%. */
const VERIFY_BUDGET_GZIPPED = 23_500;

describe('the browser bundles', () => {
  it('the verify-only bundle holds JWS and JWT verification, and no JWE, key generation or revocation module', () => {
    const modules: string[] = bundleModules('jot-verify');
    expect(WEB_ENTRY).toBe('dist/browser/index.js');
    expect(modules).toContain('src/jwt/verify.ts');
    expect(modules).toContain('src/crypto/web/sig.ts');
    expect(modules.some((m) => m.startsWith('src/jws/'))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.some((f) => f.test(m)))).toEqual([]);
    // The same patterns do find those modules in the whole bundle: the check can fail.
    const all: string[] = bundleModules('jot-all');
    for (const f of FORBIDDEN.filter((f) => !f.test('src/revocation/x.ts')))
      expect(
        all.some((m) => f.test(m)),
        String(f),
      ).toBe(true);
  });

  it(`the verify bundle stays within its budget (${VERIFY_BUDGET_GZIPPED} bytes gzipped)`, () => {
    const s = sizes();
    expect(s['jot-verify']!.gzipped).toBeLessThanOrEqual(VERIFY_BUDGET_GZIPPED);
    expect(s['jot-verify']!.gzipped).toBeLessThan(s['jot-all']!.gzipped);
  });

  it('the README size table is the measured one (within 3% per figure; `npm run bundle -- --readme` rewrites it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const a = readme.indexOf(SIZE_BEGIN);
    const b = readme.indexOf(SIZE_END);
    expect(b).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(0);
    const figures = (t: string) => [...t.matchAll(/([\d.]+) KiB/g)].map((m) => Number(m[1]));
    const inReadme = figures(readme.slice(a, b));
    const measured = figures(sizeTable(sizes()));
    expect(inReadme).toHaveLength(8);
    for (const [i, m] of measured.entries())
      expect(Math.abs(inReadme[i]! - m) / m, `figure ${i}`).toBeLessThanOrEqual(0.03);
  });
});

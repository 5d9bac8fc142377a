/**
 * The quick fuzz run: every target of scripts/fuzz-targets.js (compact and JSON JWS/JWE, JWK, JWKS, headers, claims,
 * PEM, non-token values) against the sources, a few hundred cases each. A finding (a non-JotError escape, or a mutated
 * token that verified) fails the property, so fast-check shrinks it to a minimal counterexample. The long run is
 * `npm run fuzz` (scripts/fuzz.js, against dist/); its last result is in SECURITY.md.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as index from '../../src/index.js';
import * as jwe from '../../src/jwe/index.js';
import * as jwt from '../../src/jwt/index.js';
import * as keyset from '../../src/keyset/index.js';

interface Target {
  name: string;
  arbitrary: fc.Arbitrary<unknown>;
  check(input: unknown): Promise<string | undefined>;
}

// A computed specifier: the module is plain JavaScript shared with scripts/fuzz.js, typed here by `Target`.
const modulePath = '../../scripts/fuzz-targets.js';
const { createTargets } = (await import(modulePath)) as {
  createTargets(lib: object, fast: typeof fc): Promise<Target[]>;
};
const targets = await createTargets({ ...index, ...jwt, ...jwe, ...keyset }, fc);
const RUNS = Number(process.env.FUZZ_QUICK_RUNS ?? 300);

describe('quick fuzz: only documented JotErrors escape, and no mutated token verifies', () => {
  it('covers every parsing entry point', () => {
    expect(targets.map((t) => t.name)).toEqual([
      'jws-compact',
      'jws-json',
      'jwe-compact',
      'jwe-json',
      'jwk',
      'jwks',
      'headers',
      'claims',
      'pem',
      'non-tokens',
    ]);
  });

  for (const target of targets) {
    it(target.name, async () => {
      await fc.assert(
        fc.asyncProperty(target.arbitrary, async (input) => {
          const finding = await target.check(input);
          if (finding !== undefined) throw new Error(finding);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

// Property tests: arbitrary strings, mutated tokens and arbitrary signed content only ever succeed or fail with a
// JotError; a mutated signed token never verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JotError } from '../../src/errors.js';
import {
  createUnsecuredJwt,
  createVerifier,
  decodeUnverified,
  signJwt,
  verifyJwt,
  verifyUnsecuredJwt,
} from '../../src/jwt/index.js';
import { hsKey, rawHs256, rawHs256Segments, toB64u } from '../helpers/index.js';

const key = await hsKey();
const VALID = await signJwt({ sub: 'u', aud: 'a', n: [1, { x: 'y' }] }, key, { kid: 'k', expiresIn: '1h' });
const UNSECURED = createUnsecuredJwt({ sub: 'u' });
const options = { audience: 'a' };
const verifier = createVerifier({ key, audience: 'a' });
const cached = createVerifier({ key, audience: 'a', cache: { max: 50 } });

/** Run every entry point; each must return or throw a JotError. Returns whether verifyJwt accepted. */
async function onlyJotErrors(input: string): Promise<boolean> {
  const calls: (() => unknown)[] = [
    () => verifier.verifySync(input),
    () => cached.verifySync(input),
    () => cached.verify(input),
    () => decodeUnverified(input),
    () => verifyUnsecuredJwt(input, { allowAnyAudience: true }),
  ];
  for (const call of calls) {
    try {
      await call();
    } catch (e) {
      if (!(e instanceof JotError)) throw e;
    }
  }
  try {
    await verifyJwt(input, key, options);
    return true;
  } catch (e) {
    if (!(e instanceof JotError)) throw e;
    return false;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"\u0000\u00e9\ud800';
const tokenChar = fc.constantFrom(...ALPHABET.split(''));

/** A mutation of a token: replace, insert or delete a character, truncate, or reshuffle segments. */
function mutated(token: string) {
  const n = token.length;
  return fc.oneof(
    fc.tuple(fc.nat(n - 1), tokenChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
    fc.tuple(fc.nat(n), tokenChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i)),
    fc.nat(n - 1).map((i) => token.slice(0, i) + token.slice(i + 1)),
    fc.nat(n).map((i) => token.slice(0, i)),
    fc.shuffledSubarray(token.split('.'), { minLength: 1 }).map((parts) => parts.join('.')),
    fc.array(fc.constantFrom(...token.split('.')), { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
  );
}

describe('property: only JotErrors escape', () => {
  it('arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 })),
        async (s) => {
          expect(await onlyJotErrors(s)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('strings built from token characters and dots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(tokenChar, { maxLength: 120 }).map((a) => a.join('')),
        async (s) => {
          expect(await onlyJotErrors(s)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a mutated signed token never verifies; nothing but JotErrors escape', async () => {
    expect(await onlyJotErrors(VALID)).toBe(true);
    await fc.assert(
      fc.asyncProperty(mutated(VALID), async (m) => {
        expect(await onlyJotErrors(m)).toBe(m === VALID);
      }),
      { numRuns: 600 },
    );
    await fc.assert(
      fc.asyncProperty(mutated(UNSECURED), async (m) => {
        await onlyJotErrors(m);
      }),
      { numRuns: 300 },
    );
  });

  it('validly signed arbitrary headers and payloads', async () => {
    const text = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ alg: 'HS256', x: v })),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (h, p) => {
        await onlyJotErrors(rawHs256(h, p));
        await onlyJotErrors(rawHs256('{"alg":"HS256"}', p));
        await onlyJotErrors(rawHs256Segments(toB64u('{"alg":"HS256"}'), p));
      }),
      { numRuns: 300 },
    );
  });
});

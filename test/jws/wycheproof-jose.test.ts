/**
 * Wycheproof JOSE vectors: json_web_signature, json_web_key and the JWS half of json_web_crypto (its JWE half
 * belongs to the JWE suite). One runner for all three: import the group key (a JWK or a JWK Set), verify the
 * test's JWS, compare the outcome with the vector's verdict, or with jot's documented verdict where they differ.
 */
import { afterAll, expect, it } from 'vitest';
import { JWS_ALGORITHMS } from '../../src/alg/jws.js';
import {
  createLocalJwkSet,
  importKey,
  type JWK,
  type Key,
  type KeyResolver,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { describeVectors, loadVector, outcome } from '../helpers/index.js';

/** The most permissive allow-list: every JWS algorithm. Only the key (type, curve, size, binding, use) decides. */
const ALL_ALGORITHMS = Object.keys(JWS_ALGORITHMS);

type Verdict =
  | { expect: 'reject'; code: string; why: string }
  | { expect: 'accept'; why: string }
  | { keyset: string; why: string };

/** Where jot's verdict differs from the vector's, and why. Keyed by file, then tcId. */
const DESIGN: Readonly<Record<string, Readonly<Record<number, Verdict>>>> = {
  'json_web_signature_test.json': {
    // Labelled valid, but each token has a "?" inside a base64url segment; the MAC matches only if a decoder
    // silently drops it. RFC 7515 section 2 base64url has no "?": a strict decoder rejects (A39), exactly like
    // the neighbouring invalid tests 360-371 (see the vectors' README).
    // Labelled invalid ("invalidBase64Padding", "...InPayload"), but in this copy both tokens are byte for byte the
    // valid tcId 357: the padding their names describe is not there. No decoder can reject them; asserted equal.
    367: { expect: 'accept', why: 'the token is identical to the valid tcId 357' },
    370: { expect: 'accept', why: 'the token is identical to the valid tcId 357' },
    372: { expect: 'reject', code: 'ERR_JWS_INVALID', why: 'strict base64url: "?" in the header segment' },
    373: { expect: 'reject', code: 'ERR_JWS_INVALID', why: 'strict base64url: "?" in the payload segment' },
    // RFC 7520 Figure 20 is a PS384 token; this group's JWK says "alg": "PS256". A JWK "alg" binds the key to that
    // one algorithm (RFC 7517 4.4, RFC 8725bis 3.1), so the PS384 token is refused.
    346: { expect: 'reject', code: 'ERR_JOSE_ALG_NOT_ALLOWED', why: 'the JWK is bound to PS256, the token is PS384' },
    350: { expect: 'reject', code: 'ERR_JOSE_ALG_NOT_ALLOWED', why: 'the JWK is bound to PS256, the token is PS384' },
    // This group's JWK says "alg": "ES521", which is not a registered algorithm: jot cannot bind a key to it, and
    // json_web_key tcId 19 expects exactly this key to be rejected.
    347: { expect: 'reject', code: 'ERR_JOSE_NOT_SUPPORTED', why: 'the JWK "alg" is "ES521", not an algorithm' },
    351: { expect: 'reject', code: 'ERR_JOSE_NOT_SUPPORTED', why: 'the JWK "alg" is "ES521", not an algorithm' },
  },
  // Key-set policy runs through createLocalJwkSet. The "mixed" set holds an HS256 oct key and an ES256 public
  // key: Wycheproof wants it refused as ambiguous; jot filters candidates by key type, alg and kid instead, so an
  // HS256 token can only ever reach the oct key (and an ES256 one only the EC key): accepted by design.
  // The duplicate-kid set is refused before any lookup: its second key's "k" has non-zero trailing bits.
  'json_web_key_test.json': {
    1: { keyset: 'ok', why: 'key-type filtering makes the mixed set unambiguous for an HS256 token' },
    4: { keyset: 'ERR_JWK_INVALID', why: `the second key's "k" is not canonical base64url` },
  },
  'json_web_crypto_test.json': {
    47: { keyset: 'ok', why: 'key-type filtering makes the mixed set unambiguous for an HS256 token' },
  },
};

const FILES = ['json_web_signature_test.json', 'json_web_key_test.json', 'json_web_crypto_test.json'] as const;

interface Tally {
  passed: number;
  rejectedByDesign: number;
  acceptedByDesign: number;
  skipped: number;
}
const tally: Record<string, Tally> = {};

/** The group key: one Key, or a kid-selecting resolver over a JWK Set (every member must import). */
async function groupKey(material: JWK | { keys: JWK[] }): Promise<Key | KeyResolver> {
  if (!Array.isArray((material as { keys?: unknown }).keys)) return importKey(material as JWK);
  const keys: Key[] = [];
  for (const jwk of (material as { keys: JWK[] }).keys) keys.push(await importKey(jwk));
  return (header) => keys.find((k) => k.kid === header.kid) as Key;
}

function tokenOf(data: any, tcId: number): string {
  for (const g of data.testGroups) for (const t of g.tests) if (t.tcId === tcId) return t.jws;
  throw new Error(`no tcId ${tcId}`);
}

async function attempt(group: any, t: any): Promise<string> {
  let key: Key | KeyResolver;
  try {
    key = await groupKey(group.public ?? group.private);
  } catch (e) {
    return `import:${(e as { code?: string }).code ?? String(e)}`;
  }
  const options = { algorithms: ALL_ALGORITHMS };
  // JsonSerialization tests hand a JSON JWS to a compact-only API: they go to verifyCompact, which must refuse.
  // (The well-formed one, json_web_crypto tcId 17, also verifies through verifyJson: see the test below.)
  return outcome(verifyCompact(t.jws, key, options));
}

describeVectors('Wycheproof JOSE vectors (JWS and JWK)', () => {
  for (const file of FILES) {
    const data = loadVector<any>(`wycheproof/${file}`);
    const t0: Tally = (tally[file] = { passed: 0, rejectedByDesign: 0, acceptedByDesign: 0, skipped: 0 });
    for (const group of data.testGroups) {
      for (const t of group.tests) {
        if (t.jws === undefined) continue; // JWE tests of json_web_crypto: the JWE suite runs them.
        const verdict = DESIGN[file]?.[t.tcId];
        const name = `${file} tcId ${t.tcId} (${group.comment}: ${t.comment}) ${t.result}`;
        if (verdict !== undefined && 'keyset' in verdict) {
          it(`${name} -> ${verdict.keyset} through createLocalJwkSet: ${verdict.why}`, async () => {
            const got = await outcome(async () =>
              verifyCompact(t.jws, createLocalJwkSet(group.private), { algorithms: ALL_ALGORITHMS }),
            );
            expect(got).toBe(verdict.keyset);
            if (got === 'ok') t0.acceptedByDesign++;
            else t0.rejectedByDesign++;
          });
          continue;
        }
        const expected = verdict?.expect ?? (t.result === 'valid' ? 'accept' : 'reject');
        it(`${name} -> ${expected}${verdict ? ` by design: ${verdict.why}` : ''}`, async () => {
          expect(t.result === 'acceptable').toBe(false);
          const got = await attempt(group, t);
          if (expected === 'accept') expect(got).toBe('ok');
          else expect(got).not.toBe('ok');
          if (verdict !== undefined && verdict.expect === 'reject')
            expect(got.replace(/^import:/, '')).toBe(verdict.code);
          if (verdict !== undefined && verdict.expect === 'accept') expect(t.jws).toBe(tokenOf(data, 357));
          if (verdict === undefined) t0.passed++;
          else if (verdict.expect === 'reject') t0.rejectedByDesign++;
          else t0.acceptedByDesign++;
        });
      }
    }
  }

  it('json_web_crypto tcId 17: refused by the compact API, verified by verifyJson', async () => {
    const data = loadVector<any>('wycheproof/json_web_crypto_test.json');
    const group = data.testGroups.find((g: any) => g.tests.some((t: any) => t.tcId === 17));
    const t = group.tests.find((x: any) => x.tcId === 17);
    const key = await importKey(group.private);
    const r = await verifyJson(t.jws, key);
    expect(r.unprotectedHeader).toEqual({ unknown: 'untrustworthy' });
  });

  afterAll(() => {
    for (const [file, t] of Object.entries(tally)) {
      console.info(
        `wycheproof ${file}: ${t.passed} as labelled, ${t.rejectedByDesign} rejected by design, ` +
          `${t.acceptedByDesign} accepted by design, ${t.skipped} skipped`,
      );
    }
  });
});

/**
 * Wycheproof primitive vectors for every JWS signature family: ECDSA P1363 (ES256/384/512), RSASSA-PKCS1-v1_5
 * (RS256/384/512), RSASSA-PSS (PS256/384/512), EdDSA (Ed25519, Ed448) and HMAC (HS256/384/512).
 *
 * The messages are arbitrary bytes, which no JWS signing input can equal, so each vector goes through the same
 * internal path verifyCompact uses (key policy, then the structural signature check, then the backend): see
 * `verifyRaw` in ../helpers/tokens.ts. One generic runner; each family only says which algorithm and key a group means.
 */
import { afterAll, expect, it } from 'vitest';
import { importKey, type JWK, type Key } from '../../src/index.js';
import { describeVectors, fromHex, loadVector, outcome, verifyRaw } from '../helpers/index.js';

/** jot's verdict: `got` is the exact outcome of `attempt` ('ok', 'bad', or a JotError code). */
type Verdict = { expect: 'reject' | 'accept'; got: string; why: string };

interface Family {
  file: string;
  /** The JWS algorithm for a group, or why the group does not apply to JOSE. */
  alg(group: any): string | { skip: string };
  /** The group key as a JWK, or raw secret bytes for HMAC. */
  key(group: any, test: any): JWK | Uint8Array;
  /** jot's own verdict where it differs from the label (or where the label is "acceptable"). */
  design?(group: any, test: any): Verdict | undefined;
}

const HASH_BYTES: Readonly<Record<string, number>> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

// A few groups (David Benjamin's r/s edge cases) come without a JWK: their SPKI PEM is imported instead.
const jwkOrPem = (g: any): JWK => g.publicKeyJwk ?? g.keyJwk ?? g.publicKeyPem;
const ecdsa = (file: string, alg: string): Family => ({ file, alg: () => alg, key: jwkOrPem });
const pkcs1 = (file: string, alg: string): Family => ({
  file,
  alg: () => alg,
  key: jwkOrPem,
  design: (_g, t) =>
    // "MissingNull" (a DigestInfo whose hash AlgorithmIdentifier has no NULL parameters) is "acceptable" upstream.
    // jot verifies through node/OpenSSL, which rebuilds the one canonical encoding (with NULL, as RFC 8017 9.2
    // requires of signers) and compares the whole block, so this form does not verify.
    t.result === 'acceptable'
      ? { expect: 'reject', got: 'bad', why: 'DigestInfo without NULL: not the canonical encoding' }
      : undefined,
});
const pss = (file: string, alg: string, hash: string): Family => ({
  file,
  alg: (g) =>
    g.sha === hash && g.mgf === 'MGF1' && g.mgfSha === hash && g.sLen === HASH_BYTES[hash]
      ? alg
      : { skip: `${g.sha}/MGF1-${g.mgfSha}/salt ${g.sLen} is not ${alg} (RFC 7518 3.5: MGF1 and salt use the hash)` },
  key: jwkOrPem,
});
const eddsa = (file: string, alg: string): Family => ({ file, alg: () => alg, key: jwkOrPem });
const hmac = (file: string, alg: string, bits: number): Family => ({
  file,
  alg: () => alg,
  key: (_g, t) => fromHex(t.key),
  design: (g, t) => {
    if (t.result !== 'valid') return undefined;
    // RFC 7518 3.2: an HS* key must be at least as long as the hash output; jot refuses shorter keys (A13).
    if (g.keySize < bits) {
      return {
        expect: 'reject',
        got: 'import:ERR_KEY_INVALID',
        why: `a ${g.keySize}-bit key is shorter than the hash`,
      };
    }
    // A JWS HMAC signature is the full hash output; a truncated MAC is never a valid signature (A03).
    if (g.tagSize < bits) return { expect: 'reject', got: 'bad', why: `a ${g.tagSize}-bit tag is truncated` };
    return undefined;
  },
});

const FAMILIES: readonly Family[] = [
  ecdsa('ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'),
  ecdsa('ecdsa_secp384r1_sha384_p1363_test.json', 'ES384'),
  ecdsa('ecdsa_secp521r1_sha512_p1363_test.json', 'ES512'),
  pkcs1('rsa_signature_2048_sha256_test.json', 'RS256'),
  pkcs1('rsa_signature_2048_sha384_test.json', 'RS384'),
  pkcs1('rsa_signature_2048_sha512_test.json', 'RS512'),
  pss('rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256', 'SHA-256'),
  pss('rsa_pss_2048_sha384_mgf1_48_test.json', 'PS384', 'SHA-384'),
  pss('rsa_pss_4096_sha512_mgf1_64_test.json', 'PS512', 'SHA-512'),
  eddsa('ed25519_test.json', 'EdDSA'),
  eddsa('ed25519_test.json', 'Ed25519'),
  eddsa('ed448_test.json', 'EdDSA'),
  eddsa('ed448_test.json', 'Ed448'),
  hmac('hmac_sha256_test.json', 'HS256', 256),
  hmac('hmac_sha384_test.json', 'HS384', 384),
  hmac('hmac_sha512_test.json', 'HS512', 512),
];

/** 'ok' when the signature verifies, 'bad' when it does not, else the JotError code (prefixed for import). */
async function attempt(family: Family, alg: string, group: any, t: any): Promise<string> {
  let key: Key;
  try {
    key = await importKey(family.key(group, t) as JWK, { alg });
  } catch (e) {
    return `import:${(e as { code?: string }).code ?? String(e)}`;
  }
  let ok = false;
  const r = await outcome(async () => {
    ok = await verifyRaw(alg, key, fromHex(t.msg), fromHex(t.sig ?? t.tag));
  });
  return r === 'ok' ? (ok ? 'ok' : 'bad') : r;
}

const tally = new Map<string, { labelled: number; rejectedByDesign: number; acceptable: number; skipped: number }>();

describeVectors('Wycheproof signature primitives through the JWS verification path', () => {
  for (const family of FAMILIES) {
    const data = loadVector<any>(`wycheproof/${family.file}`);
    const id = `${family.file} as ${family.alg(data.testGroups[0])}`;
    const count = { labelled: 0, rejectedByDesign: 0, acceptable: 0, skipped: 0 };
    tally.set(id, count);
    for (const group of data.testGroups) {
      const alg = family.alg(group);
      for (const t of group.tests) {
        const name = `${family.file} tcId ${t.tcId} ${t.comment ? `(${t.comment}) ` : ''}${t.result}`;
        if (typeof alg !== 'string') {
          count.skipped++;
          it.skip(`${name} [skipped: ${alg.skip}]`, () => {});
          continue;
        }
        const verdict = family.design?.(group, t);
        if (verdict === undefined && t.result === 'acceptable') throw new Error(`${name}: no verdict for jot`);
        const expected = verdict?.expect ?? (t.result === 'valid' ? 'accept' : 'reject');
        it(`${name} as ${alg} -> ${expected}${verdict ? ` by design: ${verdict.why}` : ''}`, async () => {
          const got = await attempt(family, alg, group, t);
          if (expected === 'accept') expect(got).toBe('ok');
          else expect(got).not.toBe('ok');
          // Anything but a clean verdict must be a JotError code (never an unexpected exception).
          expect(got).toMatch(/^(ok|bad|(import:)?ERR_[A-Z_]+)$/);
          if (verdict !== undefined) expect(got).toBe(verdict.got);
          if (t.result === 'acceptable') count.acceptable++;
          else if (verdict !== undefined) count.rejectedByDesign++;
          else count.labelled++;
        });
      }
    }
  }

  afterAll(() => {
    for (const [id, c] of tally) {
      console.info(
        `wycheproof ${id}: ${c.labelled} as labelled, ${c.rejectedByDesign} valid but rejected by design, ` +
          `${c.acceptable} "acceptable" decided, ${c.skipped} skipped`,
      );
    }
  });
});

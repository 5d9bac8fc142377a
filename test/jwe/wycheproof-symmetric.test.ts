// Wycheproof primitive vectors for the symmetric JWE layers, one generic runner per family:
// AEAD (AES-GCM 96-bit IV / 128-bit tag, AES-CBC-HMAC incl. the RFC 7518 appendix B Ktv), AES key wrap,
// PBKDF2. AEAD vectors go through jot's content layer, so its exact-length rules apply.
import { expect, it } from 'vitest';
import { findContentEncryptionAlgorithm } from '../../src/alg/jwe.js';
import { jwe } from '#crypto/jwe';
import { decryptContent, encryptContent } from '../../src/jwe/content.js';
import { describeVectors, fromHex, loadVector, toHex } from '../helpers/index.js';

interface Tally {
  passed: number;
  refusedByDesign: number;
  /** Known-answer tests (flag `Ktv`): the CBC-HMAC ones are the RFC 7518 appendix B examples. */
  ktv?: number;
}

function account(file: string, tally: Tally, total: number): void {
  it('accounts for every test', () => {
    expect(tally.passed + tally.refusedByDesign).toBe(total);
    console.info(`${file}: ${JSON.stringify(tally)}`);
  });
}

const AEAD: [string, (keyBits: number) => string][] = [
  ['aes_gcm_test.json', (bits) => `A${bits}GCM`],
  ['a128cbc_hs256_test.json', () => 'A128CBC-HS256'],
  ['a192cbc_hs384_test.json', () => 'A192CBC-HS384'],
  ['a256cbc_hs512_test.json', () => 'A256CBC-HS512'],
];

for (const [name, encOf] of AEAD) {
  describeVectors(`Wycheproof ${name}`, () => {
    const file = loadVector(`wycheproof/${name}`);
    const tally: Tally = { passed: 0, refusedByDesign: 0, ktv: 0 };
    for (const g of file.testGroups) {
      const enc = findContentEncryptionAlgorithm(encOf(g.keySize))!;
      const jose = g.ivSize === enc.ivBytes * 8 && g.tagSize === enc.tagBytes * 8;
      it(`${enc.name} iv ${g.ivSize} tag ${g.tagSize}: ${g.tests.length} tests${jose ? '' : ' (not JOSE sizes: refused)'}`, async () => {
        for (const t of g.tests) {
          const [key, iv, aad, msg, ct, tag] = [t.key, t.iv, t.aad, t.msg, t.ct, t.tag].map(fromHex) as Uint8Array[];
          const out = await decryptContent(enc, key!, iv!, ct!, tag!, aad!);
          if (!jose) {
            expect(out, `tcId ${t.tcId}`).toBeUndefined(); // IV and tag lengths are exact in JWE
            tally.refusedByDesign++;
          } else if (t.result === 'valid') {
            expect(toHex(out!), `tcId ${t.tcId}`).toBe(t.msg);
            const sealed = await encryptContent(enc, key!, msg!, aad!, iv);
            expect(toHex(sealed.ciphertext) + toHex(sealed.tag), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
            if (t.flags.includes('Ktv')) tally.ktv!++;
            tally.passed++;
          } else {
            expect(out, `tcId ${t.tcId} ${t.comment}`).toBeUndefined();
            tally.passed++;
          }
        }
      });
    }
    account(name, tally, file.numberOfTests);
    if (name.includes('cbc')) it('includes the RFC 7518 appendix B known answer', () => expect(tally.ktv).toBe(1));
  });
}

describeVectors('Wycheproof aes_wrap_test.json', () => {
  const file = loadVector('wycheproof/aes_wrap_test.json');
  const tally: Tally = { passed: 0, refusedByDesign: 0 };
  for (const g of file.testGroups) {
    it(`AES-${g.keySize} key wrap: ${g.tests.length} tests`, async () => {
      const b = jwe;
      for (const t of g.tests) {
        const [kek, msg, ct] = [fromHex(t.key), fromHex(t.msg), fromHex(t.ct)];
        const unwrapped = await b.aesKeyUnwrap(kek, ct);
        if (t.result === 'valid') {
          expect(toHex(unwrapped!), `tcId ${t.tcId}`).toBe(t.msg);
          expect(toHex(await b.aesKeyWrap(kek, msg)), `tcId ${t.tcId}`).toBe(t.ct);
        } else if (t.result === 'invalid') {
          expect(unwrapped, `tcId ${t.tcId} ${t.comment}`).toBeUndefined();
        } else if (unwrapped !== undefined) {
          expect(toHex(unwrapped), `tcId ${t.tcId}`).toBe(t.msg); // acceptable: either way, never wrong
        }
        tally.passed++;
      }
    });
  }
  account('aes_wrap_test.json', tally, file.numberOfTests);
});

for (const [name, hash] of [
  ['pbkdf2_hmacsha256_test.json', 'sha256'],
  ['pbkdf2_hmacsha384_test.json', 'sha384'],
  ['pbkdf2_hmacsha512_test.json', 'sha512'],
] as const) {
  describeVectors(`Wycheproof ${name}`, () => {
    const file = loadVector(`wycheproof/${name}`);
    const tally: Tally = { passed: 0, refusedByDesign: 0 };
    it(`PBKDF2-HMAC-${hash}: ${file.numberOfTests} tests`, async () => {
      for (const g of file.testGroups) {
        for (const t of g.tests) {
          const dk = await jwe.pbkdf2(hash, fromHex(t.password), fromHex(t.salt), t.iterationCount, t.dkLen);
          expect(toHex(dk), `tcId ${t.tcId}`).toBe(t.dk);
          tally.passed++;
        }
      }
    });
    account(name, tally, file.numberOfTests);
  });
}

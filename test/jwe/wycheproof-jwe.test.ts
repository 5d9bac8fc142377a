// Wycheproof json_web_encryption_test.json: every valid token decrypts to `pt`, every invalid one is
// rejected with a JotError. RSA1_5 groups: decryption is refused by design (docs/jwe.md), and that refusal
// is what is asserted for them, valid or not.
import { expect, it } from 'vitest';
import { findContentEncryptionAlgorithm } from '../../src/alg/jwe.js';
import type { JotErrorCode } from '../../src/errors.js';
import { decryptCompact } from '../../src/jwe/index.js';
import { describeVectors, importBound, loadVector, rejection, toHex } from '../helpers/index.js';

const FILE = 'wycheproof/json_web_encryption_test.json';
const REJECTIONS: readonly JotErrorCode[] = [
  'ERR_JWE_INVALID',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
];

describeVectors('Wycheproof json_web_encryption', () => {
  const file = loadVector(FILE);
  const tally = { decrypted: 0, rejected: 0, rsa1_5Refused: 0 };
  for (const group of file.testGroups) {
    const jwkAlg: string = group.private.alg;
    const alg = findContentEncryptionAlgorithm(jwkAlg) === undefined ? jwkAlg : 'dir';
    for (const t of group.tests) {
      it(`tcId ${t.tcId} ${t.result} ${t.comment} (${alg})`, async () => {
        const key = await importBound(group.private, alg);
        const jwe = typeof t.jwe === 'string' ? t.jwe : JSON.stringify(t.jwe);
        const run = () => decryptCompact(jwe, key, { keyManagementAlgorithms: [alg], allowZip: true });
        if (alg === 'RSA1_5') {
          const e = await rejection(run());
          expect(['ERR_JOSE_NOT_SUPPORTED', 'ERR_JWE_INVALID']).toContain(e.code);
          tally.rsa1_5Refused++;
        } else if (t.result === 'valid') {
          const { plaintext } = await run();
          expect(toHex(plaintext)).toBe(t.pt);
          tally.decrypted++;
        } else {
          const e = await rejection(run());
          expect(REJECTIONS).toContain(e.code);
          if (t.comment.includes('Tag') || t.comment.includes('Ghash') || t.comment.includes('tagTruncated')) {
            expect(['ERR_JWE_DECRYPTION_FAILED', 'ERR_JWE_INVALID']).toContain(e.code);
          }
          tally.rejected++;
        }
      });
    }
  }
  it('accounts for every test', () => {
    expect(tally.decrypted + tally.rejected + tally.rsa1_5Refused).toBe(file.numberOfTests);
    console.info(`Wycheproof JWE: ${JSON.stringify(tally)}`);
  });
});

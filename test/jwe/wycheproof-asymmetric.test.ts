// Wycheproof primitive vectors for the asymmetric JWE layers, one generic runner per family: RSA-OAEP
// through jot's unwrap path, X25519 (raw and JWK) and ECDH P-256/384/521 (WebCrypto JWKs) with the peer key
// going through jot's `epk` validation, exactly as a JWE header's would.
import { createPrivateKey } from 'node:crypto';
import { expect, it } from 'vitest';
import { findContentEncryptionAlgorithm, findKeyManagementAlgorithm } from '../../src/alg/jwe.js';
import { jwe } from '#crypto/jwe';
import { JotError } from '../../src/errors.js';
import { ephemeralPublicKey } from '../../src/jwe/ecdh.js';
import { unwrapCek } from '../../src/jwe/key-management.js';
import { importKey } from '../../src/key/import.js';
import { type Key, type KeyHandle, keyHandle } from '../../src/key/key.js';
import { describeVectors, fromHex, loadVector, toHex } from '../helpers/index.js';

const b64uOf = (h: string) => Buffer.from(h, 'hex').toString('base64url');

/** Agreement with a peer JWK as jot does it for an `epk`: validation first, then ECDH. */
async function agree(peer: unknown, priv: Key): Promise<Uint8Array | undefined> {
  let pub: KeyHandle;
  try {
    pub = ephemeralPublicKey(peer, priv);
  } catch (e) {
    expect(e).toBeInstanceOf(JotError);
    return undefined;
  }
  return jwe.ecdh(priv.crv!, keyHandle(priv), pub);
}

const OAEP: [string, string][] = [
  ['rsa_oaep_2048_sha1_mgf1sha1_test.json', 'RSA-OAEP'],
  ['rsa_oaep_2048_sha256_mgf1sha256_test.json', 'RSA-OAEP-256'],
  ['rsa_oaep_2048_sha384_mgf1sha384_test.json', 'RSA-OAEP-384'],
  ['rsa_oaep_2048_sha512_mgf1sha512_test.json', 'RSA-OAEP-512'],
];
for (const [name, algName] of OAEP) {
  describeVectors(`Wycheproof ${name}`, () => {
    const file = loadVector(`wycheproof/${name}`);
    it(`${algName}: ${file.numberOfTests} tests (a non-empty label never decrypts: JOSE labels are empty)`, async () => {
      const alg = findKeyManagementAlgorithm(algName)!;
      const enc = findContentEncryptionAlgorithm('A128GCM')!;
      let n = 0;
      for (const g of file.testGroups) {
        const key = await importKey(g.privateKeyPem, { alg: algName });
        for (const t of g.tests) {
          const out = await unwrapCek(alg, enc, key, keyHandle(key), fromHex(t.ct), {});
          if (t.result === 'valid' && t.label === '') expect(toHex(out!), `tcId ${t.tcId}`).toBe(t.msg);
          else expect(out, `tcId ${t.tcId} ${t.comment}`).toBeUndefined();
          n++;
        }
      }
      expect(n).toBe(file.numberOfTests);
    });
  });
}

describeVectors('Wycheproof x25519_test.json', () => {
  const file = loadVector('wycheproof/x25519_test.json');
  it(`X25519 raw: ${file.numberOfTests} tests (acceptable low-order results are refused)`, async () => {
    const tally = { valid: 0, acceptableRefused: 0, acceptableAgreed: 0 };
    for (const g of file.testGroups) {
      for (const t of g.tests) {
        const der = Buffer.concat([
          Buffer.from('302e020100300506032b656e04220420', 'hex'),
          Buffer.from(t.private, 'hex'),
        ]);
        const priv = await importKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
        const z = await agree({ kty: 'OKP', crv: 'X25519', x: b64uOf(t.public) }, priv);
        if (t.result === 'valid') {
          expect(toHex(z!), `tcId ${t.tcId}`).toBe(t.shared);
          tally.valid++;
        } else if (z === undefined) {
          tally.acceptableRefused++;
        } else {
          expect(toHex(z), `tcId ${t.tcId}`).toBe(t.shared);
          expect(/^0+$/.test(t.shared)).toBe(false); // an all-zero secret is never accepted
          tally.acceptableAgreed++;
        }
      }
    }
    console.info(`x25519_test.json: ${JSON.stringify(tally)}`);
  });
});

const JWK_FILES = [
  'x25519_jwk_test.json',
  'ecdh_secp256r1_webcrypto_test.json',
  'ecdh_secp384r1_webcrypto_test.json',
  'ecdh_secp521r1_webcrypto_test.json',
];
for (const name of JWK_FILES) {
  describeVectors(`Wycheproof ${name}`, () => {
    const file = loadVector(`wycheproof/${name}`);
    it(`${file.numberOfTests} tests: peer JWKs validated as an epk`, async () => {
      const tally = { valid: 0, invalidRejected: 0, acceptableRefused: 0, acceptableAgreed: 0 };
      const privates = new Map<string, Key>(); // a few private keys serve hundreds of tests
      for (const g of file.testGroups) {
        for (const t of g.tests) {
          const id = JSON.stringify(t.private);
          const priv = privates.get(id) ?? (await importKey(t.private));
          privates.set(id, priv);
          const z = await agree(t.public, priv);
          if (t.result === 'valid') {
            expect(toHex(z!), `tcId ${t.tcId}`).toBe(t.shared);
            tally.valid++;
          } else if (t.result === 'invalid') {
            expect(z, `tcId ${t.tcId} ${t.comment}`).toBeUndefined();
            tally.invalidRejected++;
          } else if (z === undefined) {
            tally.acceptableRefused++;
          } else {
            expect(toHex(z), `tcId ${t.tcId}`).toBe(t.shared);
            tally.acceptableAgreed++;
          }
        }
      }
      expect(tally.valid + tally.invalidRejected + tally.acceptableRefused + tally.acceptableAgreed).toBe(
        file.numberOfTests,
      );
      console.info(`${name}: ${JSON.stringify(tally)}`);
    });
  });
}

// RFC 7520 section 5 (every serialization of every example) and section 6 (nesting), run by one runner.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findContentEncryptionAlgorithm } from '../../src/alg/jwe.js';
import { encryptContent } from '../../src/jwe/content.js';
import { encryptToRecipients } from '../../src/jwe/encrypt.js';
import { decryptCompact, decryptJson } from '../../src/jwe/index.js';
import { verifyCompact } from '../../src/jws/index.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { describeVectors, expectCode, fromB64u, importBound, loadVector, text, VECTORS } from '../helpers/index.js';

interface Example {
  title: string;
  reproducible?: boolean;
  input: {
    plaintext: string;
    key?: any;
    pwd?: string;
    alg: string | string[];
    enc: string;
    zip?: string;
    aad?: string;
  };
  generated: { cek?: string; iv: string; aad_b64u?: string; plaintext_c?: string };
  encrypting_key?: any;
  encrypting_content: { protected?: any; protected_b64u?: string; unprotected?: any; ciphertext: string; tag: string };
  output: { compact?: string; json?: any; json_flat?: any };
}

const enc8 = new TextEncoder();

/** Keys of an example, one per recipient, bound to the recipient's algorithm. */
async function keysOf(ex: Example): Promise<{ alg: string; key: Key }[]> {
  const algs = Array.isArray(ex.input.alg) ? ex.input.alg : [ex.input.alg];
  if (ex.input.pwd !== undefined) {
    return [{ alg: algs[0]!, key: await importKey(enc8.encode(ex.input.pwd), { alg: algs[0]! }) }];
  }
  const jwks = Array.isArray(ex.input.key) ? ex.input.key : [ex.input.key];
  return Promise.all(
    jwks.map(async (jwk: any, i: number) => ({ alg: algs[i]!, key: await importBound(jwk, algs[i]!) })),
  );
}

function serializations(ex: Example): [string, (k: Key, o: object) => Promise<{ plaintext: Uint8Array }>][] {
  const out: [string, (k: Key, o: object) => Promise<{ plaintext: Uint8Array }>][] = [];
  if (ex.output.compact !== undefined) out.push(['compact', (k, o) => decryptCompact(ex.output.compact!, k, o)]);
  if (ex.output.json !== undefined) out.push(['json', (k, o) => decryptJson(ex.output.json, k, o)]);
  if (ex.output.json_flat !== undefined) out.push(['json_flat', (k, o) => decryptJson(ex.output.json_flat, k, o)]);
  return out;
}

describeVectors('RFC 7520 section 5', () => {
  const names = readdirSync(join(VECTORS, 'rfc7520/jwe')).filter((f) => f.endsWith('.json'));
  it('has the 13 examples', () => expect(names).toHaveLength(13));

  for (const name of names.sort()) {
    const ex = loadVector<Example>(`rfc7520/jwe/${name}`);
    describe(name, () => {
      it('decrypts every serialization with every recipient key (RSA1_5: refused by design)', async () => {
        const forms = serializations(ex);
        expect(forms.length).toBeGreaterThan(0);
        for (const { alg, key } of await keysOf(ex)) {
          for (const [, decrypt] of forms) {
            const options = { keyManagementAlgorithms: [alg], allowZip: true };
            if (ex.encrypting_content.protected?.enc === undefined) {
              // 5.12 "protecting content only": enc is unprotected, which jot rejects on purpose.
              await expectCode(decrypt(key, options), 'ERR_JWE_INVALID');
            } else if (alg === 'RSA1_5') {
              // RSA1_5 decryption is not supported (docs/jwe.md): refused when listed, not allowed otherwise.
              await expectCode(decrypt(key, options), 'ERR_JOSE_NOT_SUPPORTED');
              await expectCode(decrypt(key, { keyManagementAlgorithms: ['RSA-OAEP'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
            } else {
              expect(text((await decrypt(key, options)).plaintext)).toBe(ex.input.plaintext);
            }
          }
        }
      });

      it('content encryption reproduces ciphertext and tag from the given CEK and IV', async () => {
        const cek = ex.generated.cek ?? ex.encrypting_key?.cek ?? ex.input.key.k; // 5.6 dir: the key is the CEK
        const protectedB64u = ex.encrypting_content.protected_b64u ?? '';
        const enc = findContentEncryptionAlgorithm(ex.encrypting_content.protected?.enc ?? ex.input.enc)!;
        expect(cek).toMatch(/^[\w-]+$/);
        const aad = ex.generated.aad_b64u === undefined ? protectedB64u : `${protectedB64u}.${ex.generated.aad_b64u}`;
        const plaintext = ex.generated.plaintext_c
          ? fromB64u(ex.generated.plaintext_c)
          : enc8.encode(ex.input.plaintext);
        const sealed = await encryptContent(enc, fromB64u(cek), plaintext, enc8.encode(aad), fromB64u(ex.generated.iv));
        expect(Buffer.from(sealed.ciphertext).toString('base64url')).toBe(ex.encrypting_content.ciphertext);
        expect(Buffer.from(sealed.tag).toString('base64url')).toBe(ex.encrypting_content.tag);
      });
    });
  }
});

describeVectors('RFC 7520 section 5: deterministic key management reproduced by encryption', () => {
  const cases = [
    '5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json',
    '5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json',
    '5_6.direct_encryption_using_aes-gcm.json',
    '5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json',
    '5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json',
    '5_10.including_additional_authentication_data.json',
    '5_11.protecting_specific_header_fields.json',
  ];
  for (const name of cases) {
    it(name, async () => {
      const ex = loadVector<Example>(`rfc7520/jwe/${name}`);
      const [{ key }] = (await keysOf(ex)) as [{ alg: string; key: Key }];
      const ek = ex.encrypting_key ?? {};
      const protectedHeader = { ...ex.encrypting_content.protected };
      for (const generated of ['epk', 'iv', 'tag', 'p2s']) delete protectedHeader[generated];
      const fixtures = {
        ...(ex.generated.cek === undefined ? {} : { cek: fromB64u(ex.generated.cek) }),
        iv: fromB64u(ex.generated.iv),
        recipients: [
          {
            ...(ek.salt ? { p2s: fromB64u(ek.salt) } : {}),
            ...(ek.iv ? { kwIv: fromB64u(ek.iv) } : {}),
            ...(ek.epk ? { ephemeralKey: await importKey(ek.epk) } : {}),
          },
        ],
      };
      const jwe = await encryptToRecipients(
        ex.input.plaintext,
        {
          protectedHeader,
          ...(ex.encrypting_content.unprotected ? { unprotectedHeader: ex.encrypting_content.unprotected } : {}),
          ...(ex.input.aad === undefined ? {} : { aad: ex.input.aad }),
          recipients: [{ key }],
        },
        fixtures,
      );
      expect(jwe.recipients[0]!.encrypted_key ?? '').toBe(ek.encrypted_key ?? '');
      expect(jwe.ciphertext).toBe(ex.encrypting_content.ciphertext);
      if (jwe.protected === ex.encrypting_content.protected_b64u) {
        // Same header bytes (no generated parameter reordered): the whole JSON output is identical.
        expect(jwe.tag).toBe(ex.encrypting_content.tag);
        // (5.6's cookbook JSON leaves out an empty "recipients": compare the members it has.)
        const { recipients, ...shared } = jwe;
        const { recipients: expected = [{}], ...expectedShared } = ex.output.json;
        expect(shared).toEqual(expectedShared);
        expect(recipients).toEqual(expected);
      }
    });
  }
});

describeVectors('RFC 7520 section 6: a JWS nested in a JWE', () => {
  it('decrypts every serialization, then verifies the inner JWS with its own key', async () => {
    const ex = loadVector('rfc7520/6.nesting_signatures_and_encryption.json');
    const decryptKey = await importBound(ex.encrypt.input.key, 'RSA-OAEP');
    const verifyKey = await importKey(ex.sign.input.key, { alg: ex.sign.input.alg });
    const forms = [
      decryptCompact(ex.encrypt.output.compact, decryptKey),
      decryptJson(ex.encrypt.output.json, decryptKey),
      decryptJson(ex.encrypt.output.json_flat, decryptKey),
    ];
    for (const result of await Promise.all(forms)) {
      expect(result.protectedHeader.cty).toBe('JWT');
      const inner = text(result.plaintext);
      expect(inner).toBe(ex.sign.output.compact);
      const { payload } = await verifyCompact(inner, verifyKey);
      expect(text(payload)).toBe(ex.sign.input.payload);
    }
  });
});

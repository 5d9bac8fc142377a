// Encrypted JWTs (encryptJwt/decryptJwt) and nested JWTs (signAndEncryptJwt/decryptAndVerifyJwt),
// including the nested-token attacks (A31) and sign/encrypt confusion on the decrypt side (A30).
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtClaimError } from '../../src/errors.js';
import { decryptCompact, encryptCompact } from '../../src/jwe/index.js';
import {
  createUnsecuredJwt,
  decryptAndVerifyJwt,
  decryptJwt,
  encryptJwt,
  signAndEncryptJwt,
  signJwt,
  verifyJwt,
} from '../../src/jwt/index.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { exportJwk } from '../../src/key/export.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { describeVectors, expectCode, importBound, loadVector } from '../helpers/index.js';

const now = new Date('2026-01-01T00:00:00Z');
const claimOptions = { issuer: 'https://idp.example', audience: 'api', currentDate: now };

describe('encryptJwt / decryptJwt', () => {
  let kek: Key;
  beforeAll(async () => {
    kek = await generateSecret('A256KW');
  });

  it('round-trips with claims from options and validates them after decryption', async () => {
    const token = await encryptJwt({ scope: 'read' }, kek, {
      enc: 'A256GCM',
      subject: 'u1',
      expiresIn: '15m',
      ...claimOptions,
    });
    const { payload, protectedHeader, key } = await decryptJwt<{ scope: string }>(token, kek, claimOptions);
    expect(payload).toMatchObject({ scope: 'read', sub: 'u1', iss: 'https://idp.example', aud: 'api' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(protectedHeader).toMatchObject({ alg: 'A256KW', enc: 'A256GCM', typ: 'JWT' });
    expect(key).toBe(kek);
  });

  it('claim failures come only after decryption, with the claim error', async () => {
    const token = await encryptJwt({}, kek, { enc: 'A256GCM', expiresIn: 60, ...claimOptions });
    const later = new Date(now.getTime() + 3_600_000);
    const e = await expectCode(decryptJwt(token, kek, { ...claimOptions, currentDate: later }), 'ERR_JWT_EXPIRED');
    expect(e).toBeInstanceOf(JwtClaimError);
    await expectCode(decryptJwt(token, kek, { ...claimOptions, audience: 'other' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    const other = await generateSecret('A256KW');
    await expectCode(decryptJwt(token, other, { ...claimOptions, currentDate: later }), 'ERR_JWE_DECRYPTION_FAILED');
    await expectCode(decryptJwt(token, kek, { ...claimOptions, typ: 'at+jwt' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('options are checked: enc required, unknown names refused, alg from the key binding', async () => {
    await expectCode(encryptJwt({}, kek, {} as never), 'ERR_INVALID_OPTION');
    await expectCode(encryptJwt({}, kek, { enc: 'A256GCM', algorithm: 'x' } as never), 'ERR_INVALID_OPTION');
    await expectCode(encryptJwt({}, kek, { enc: 'A256GCM', header: { zip: 'DEF' } }), 'ERR_INVALID_OPTION');
    await expectCode(decryptJwt('x', kek, { algorithms: ['HS256'] } as never), 'ERR_INVALID_OPTION');
    const unbound = await importKey(new Uint8Array(32));
    await expectCode(encryptJwt({}, unbound, { enc: 'A256GCM' }), 'ERR_INVALID_OPTION');
    await expect(encryptJwt({}, unbound, { alg: 'A256KW', enc: 'A256GCM' })).resolves.toMatch(/^ey/);
  });

  it('plaintext that is not a JSON object (e.g. a JWS) is never taken as claims', async () => {
    const hs = await generateSecret('HS256');
    const jws = await signJwt({ sub: 'admin' }, hs);
    for (const plaintext of [jws, '[]', '"s"', 'null', '1', 'true', '\xff']) {
      const t = await encryptCompact(plaintext, { alg: 'A256KW', enc: 'A256GCM' }, kek);
      await expectCode(decryptJwt(t, kek), 'ERR_JWT_INVALID');
    }
  });

  it("A30: key management as decryptCompact: the list decides, else the key's binding; decryption is no signature", async () => {
    const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256');
    // Anyone holding the public key can make this token: decryptJwt says who can read it, not who wrote it.
    const forged = await encryptJwt({ sub: 'admin' }, publicKey, { enc: 'A256GCM', ...claimOptions });
    // A key the caller bound to RSA-OAEP-256 is the caller's explicit choice, as for decryptCompact.
    expect((await decryptJwt(forged, privateKey, claimOptions)).payload.sub).toBe('admin');
    expect((await decryptCompact(forged, privateKey)).protectedHeader.alg).toBe('RSA-OAEP-256');
    // An explicit list decides over the binding, for both functions alike.
    const otherList = { ...claimOptions, keyManagementAlgorithms: ['ECDH-ES+A256KW'] };
    await expectCode(decryptJwt(forged, privateKey, otherList), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(decryptCompact(forged, privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] }), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    // An unbound key needs the list, for both.
    const { alg: _bound, ...unboundJwk } = await exportJwk(privateKey, { includePrivate: true });
    const unbound = await importKey(unboundJwk);
    await expectCode(decryptJwt(forged, unbound, claimOptions), 'ERR_INVALID_OPTION');
    await expectCode(decryptCompact(forged, unbound), 'ERR_INVALID_OPTION');
    // A JWE is never a signed JWT, and an RS256 key never decrypts.
    const rs = await generateKeyPair('RS256');
    await expectCode(verifyJwt(forged, rs.publicKey, claimOptions), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
    await expectCode(decryptJwt(forged, rs.privateKey, claimOptions), 'ERR_KEY_INVALID');
  });
});

describe('signAndEncryptJwt / decryptAndVerifyJwt', () => {
  let signer: { privateKey: Key; publicKey: Key };
  let recipient: { privateKey: Key; publicKey: Key };
  beforeAll(async () => {
    signer = await generateKeyPair('ES256');
    recipient = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519' });
  });
  const verify = { algorithms: ['ES256'], ...claimOptions };

  it('both layers pass: claims, the inner header, both keys', async () => {
    const token = await signAndEncryptJwt({ sub: 'u1' }, signer.privateKey, recipient.publicKey, {
      sign: { expiresIn: '5m', ...claimOptions },
      encrypt: { enc: 'A256GCM' },
    });
    const r = await decryptAndVerifyJwt(token, recipient.privateKey, signer.publicKey, { verify });
    expect(r.payload).toMatchObject({ sub: 'u1', iss: 'https://idp.example' });
    expect(r.protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(r.encryptionHeader).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' });
    expect(r.key).toBe(signer.publicKey);
    expect(r.decryptionKey).toBe(recipient.privateKey);
    await expectCode(decryptJwt(token, recipient.privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] }), [
      'ERR_JWT_INVALID',
    ]);
  });

  it('the inner signature is verified with its own key and options', async () => {
    const mallory = await generateKeyPair('ES256');
    const token = await signAndEncryptJwt({}, mallory.privateKey, recipient.publicKey, {
      sign: claimOptions,
      encrypt: { enc: 'A256GCM' },
    });
    await expectCode(decryptAndVerifyJwt(token, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ]);
    const token2 = await signAndEncryptJwt({}, signer.privateKey, recipient.publicKey, {
      sign: { ...claimOptions, audience: 'x' },
      encrypt: { enc: 'A256GCM' },
    });
    await expectCode(decryptAndVerifyJwt(token2, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    ]);
  });

  it('A31: an unsigned inner token (alg none, or HS256 self-signed) is refused', async () => {
    const none = createUnsecuredJwt({ sub: 'admin' }, claimOptions);
    const outer = await encryptCompact(
      none,
      { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' },
      recipient.publicKey,
    );
    await expectCode(decryptAndVerifyJwt(outer, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    const attackerHs = await generateSecret('HS256');
    const hs = await signJwt({ sub: 'admin' }, attackerHs, claimOptions);
    const outer2 = await encryptCompact(hs, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'jwt' }, recipient.publicKey);
    await expectCode(decryptAndVerifyJwt(outer2, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'ERR_KEY_INVALID',
    ]);
  });

  it('A31: cty must say JWT; deeper nesting is ERR_LIMIT_EXCEEDED', async () => {
    const inner = await signJwt({}, signer.privateKey, claimOptions);
    const noCty = await encryptCompact(inner, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, recipient.publicKey);
    await expectCode(decryptAndVerifyJwt(noCty, recipient.privateKey, signer.publicKey, { verify }), 'ERR_JWT_INVALID');
    let token = inner;
    for (let depth = 0; depth < 3; depth++) {
      token = await encryptCompact(token, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' }, recipient.publicKey);
    }
    await expectCode(decryptAndVerifyJwt(token, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_LIMIT_EXCEEDED',
    ]);
    const nestedJws = await signJwt({}, signer.privateKey, { ...claimOptions, header: { cty: 'JWT' } });
    const outer = await encryptCompact(
      nestedJws,
      { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' },
      recipient.publicKey,
    );
    await expectCode(decryptAndVerifyJwt(outer, recipient.privateKey, signer.publicKey, { verify }), [
      'ERR_LIMIT_EXCEEDED',
    ]);
  });
});

describeVectors('RFC 7520 section 6 through decryptAndVerifyJwt', () => {
  it('decrypts and verifies the cookbook nested token (exp 1300819380, so "now" is fixed before it)', async () => {
    const ex = loadVector('rfc7520/6.nesting_signatures_and_encryption.json');
    const decryptionKey = await importBound(ex.encrypt.input.key, 'RSA-OAEP');
    const verificationKey = await importKey(ex.sign.input.key, { alg: 'PS256' });
    const r = await decryptAndVerifyJwt(ex.encrypt.output.compact, decryptionKey, verificationKey, {
      verify: { issuer: 'hobbiton.example', currentDate: new Date(1300819300 * 1000) },
    });
    expect(r.payload).toEqual({ iss: 'hobbiton.example', exp: 1300819380, 'http://example.com/is_root': true });
  });
});

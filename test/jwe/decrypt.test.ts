// decryptCompact/decryptJson: what they refuse.
// Structure and policy: parameter confusion (A27), JSON serialization header rules (A33), crit (A35),
// sign/encrypt and key-binding confusion (A30, A55), and the allow-lists.
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import type { GeneralJWE } from '../../src/jwe/types.js';
import { exportJwk } from '../../src/key/export.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { expectCode, text } from '../helpers/index.js';

const e64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const unbound = ({ alg: _alg, ...jwk }: Record<string, unknown>) => jwk as never;
const withHeader = (jwe: string, header: unknown) => [e64(header), ...jwe.split('.').slice(1)].join('.');

describe('A27 parameter confusion', () => {
  it('enc outside the allow-list, or unbound to the key, is ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const key = await generateSecret('A256KW');
    const jwe = await encryptCompact('x', { alg: 'A256KW', enc: 'A128GCM' }, key);
    await expectCode(decryptCompact(jwe, key, { contentEncryptionAlgorithms: ['A256GCM'] }), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    await expectCode(decryptCompact(jwe, key, { keyManagementAlgorithms: ['A128KW'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('dir and ECDH-ES: no encrypted key, one recipient', async () => {
    const key = await generateSecret('A128GCM');
    const jwe = await encryptCompact('x', { alg: 'dir', enc: 'A128GCM' }, key);
    const [h, , iv, ct, tag] = jwe.split('.');
    await expectCode(decryptCompact(`${h}.AAAAAAAAAAAAAAAAAAAAAA.${iv}.${ct}.${tag}`, key), 'ERR_JWE_INVALID');
    const general = { protected: h, recipients: [{}, {}], iv, ciphertext: ct, tag };
    await expectCode(decryptJson(general, key), 'ERR_JWE_INVALID');
    const e = await generateKeyPair('ECDH-ES');
    const k2 = await generateSecret('A128KW');
    await expectCode(
      encryptJson('x', {
        protectedHeader: { enc: 'A128GCM' },
        recipients: [
          { header: { alg: 'ECDH-ES' }, key: e.publicKey },
          { header: { alg: 'A128KW' }, key: k2 },
        ],
      }),
      ['ERR_JWE_INVALID'],
    );
  });

  it('a key bound to another JWE algorithm is refused (Wycheproof WrongCipher and OAEP/PKCS1 mix-ups)', async () => {
    const gcmkw = await generateSecret('A128GCMKW');
    const raw = await exportJwk(gcmkw, { includePrivate: true });
    const kw = await importKey({ kty: 'oct', k: raw.k! }, { alg: 'A128KW' });
    const jwe = await encryptCompact('x', { alg: 'A128KW', enc: 'A128GCM' }, kw);
    await expectCode(decryptCompact(jwe, gcmkw), 'ERR_JOSE_ALG_NOT_ALLOWED');
    const oaep = await generateKeyPair('RSA-OAEP');
    const pkcs1 = await importKey(unbound(await exportJwk(oaep.publicKey)), { alg: 'RSA1_5' });
    const t = await encryptCompact('x', { alg: 'RSA1_5', enc: 'A128GCM' }, pkcs1);
    await expectCode(decryptCompact(t, oaep.privateKey, { keyManagementAlgorithms: ['RSA1_5'] }), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
  });
});

describe('A30/A55 one key, one algorithm, one purpose', () => {
  it('a key bound to a signature algorithm never decrypts or encrypts: ERR_KEY_INVALID', async () => {
    const rs = await generateKeyPair('RS256');
    const oaep = await importKey(unbound(await exportJwk(rs.publicKey)));
    const jwe = await encryptCompact('x', { alg: 'RSA-OAEP', enc: 'A256GCM' }, oaep);
    await expectCode(decryptCompact(jwe, rs.privateKey, { keyManagementAlgorithms: ['RSA-OAEP'] }), 'ERR_KEY_INVALID');
    await expectCode(encryptCompact('x', { alg: 'RSA-OAEP', enc: 'A256GCM' }, rs.publicKey), 'ERR_KEY_INVALID');
    const hs = await generateSecret('HS256');
    await expectCode(encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, hs), 'ERR_KEY_INVALID');
    await expectCode(encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, hs), 'ERR_KEY_INVALID');
    const es = await generateKeyPair('ES256');
    await expectCode(encryptCompact('x', { alg: 'ECDH-ES', enc: 'A256GCM' }, es.publicKey), 'ERR_KEY_INVALID');
  });

  it('an unbound key needs keyManagementAlgorithms for that call', async () => {
    const k = await importKey(new Uint8Array(32).fill(1));
    const jwe = await encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, k);
    await expectCode(decryptCompact(jwe, k), 'ERR_INVALID_OPTION');
    await expectCode(
      decryptCompact(jwe, () => k),
      ['ERR_INVALID_OPTION'],
    );
    expect(text((await decryptCompact(jwe, k, { keyManagementAlgorithms: ['A256KW'] })).plaintext)).toBe('x');
  });

  it('use, key_ops, key type, size and private-ness are enforced', async () => {
    const enc = { alg: 'A256KW', enc: 'A256GCM' };
    const sig = await importKey(new Uint8Array(32), { use: 'sig' });
    await expectCode(encryptCompact('x', enc, sig), 'ERR_KEY_INVALID');
    const ops = await importKey({ kty: 'oct', k: e64(new Uint8Array(32).fill(2).toString()), key_ops: ['sign'] });
    await expectCode(encryptCompact('x', enc, ops), 'ERR_KEY_INVALID');
    const short = await importKey(new Uint8Array(16));
    await expectCode(encryptCompact('x', enc, short), 'ERR_KEY_INVALID');
    const pair = await generateKeyPair('RSA-OAEP-256');
    const jwe = await encryptCompact('x', { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, pair.publicKey);
    await expectCode(decryptCompact(jwe, pair.publicKey), 'ERR_KEY_INVALID');
    const ec = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    await expectCode(encryptCompact('x', { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, ec.publicKey), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
  });

  it('a resolver returning nothing, or not a Key, is refused; its own errors keep their code', async () => {
    const k = await generateSecret('A256KW');
    const jwe = await encryptCompact('x', { alg: 'A256KW', enc: 'A256GCM' }, k);
    const o = { keyManagementAlgorithms: ['A256KW'] };
    await expectCode(
      decryptCompact(jwe, () => undefined as never, o),
      ['ERR_JWKS_NO_MATCHING_KEY'],
    );
    await expectCode(
      decryptCompact(jwe, () => ({ kty: 'oct' }) as never, o),
      ['ERR_KEY_INVALID'],
    );
    await expectCode(
      decryptCompact(
        jwe,
        () => {
          throw new Error('boom');
        },
        o,
      ),
      ['ERR_KEY_INVALID'],
    );
    let seen: unknown;
    await decryptCompact(
      jwe,
      (h) => {
        seen = h;
        return k;
      },
      o,
    );
    expect(seen).toMatchObject({ alg: 'A256KW', enc: 'A256GCM' });
  });
});

describe('A33 JSON serialization header rules', () => {
  let key: Key;
  let jwe: GeneralJWE;
  beforeAll(async () => {
    key = await generateSecret('A128KW');
    jwe = (await encryptJson('x', {
      protectedHeader: { enc: 'A128GCM' },
      recipients: [{ header: { alg: 'A128KW', kid: 'k' }, key }],
    })) as GeneralJWE;
  });

  it('the valid form decrypts, with alg only in the per-recipient header (RFC 7516 7.2.1)', async () => {
    expect(text((await decryptJson(jwe, key)).plaintext)).toBe('x');
  });

  it('collisions, missing or empty protected, malformed members, mixed forms: ERR_JWE_INVALID', async () => {
    const r0 = jwe.recipients[0]!;
    const bad: unknown[] = [
      { ...jwe, unprotected: { kid: 'k' } },
      { ...jwe, protected: e64({ enc: 'A128GCM', kid: 'k' }) },
      { ...jwe, protected: '' },
      { ...jwe, protected: undefined },
      { ...jwe, recipients: [] },
      { ...jwe, recipients: [{ ...r0, header: [] }] },
      { ...jwe, recipients: [{ ...r0, header: 'x' }] },
      { ...jwe, recipients: [{ ...r0, header: null }] },
      { ...jwe, recipients: [r0, 'x'] },
      { ...jwe, recipients: 'x' },
      { ...jwe, encrypted_key: r0.encrypted_key },
      { ...jwe, header: { alg: 'A128KW' } },
      { ...jwe, unprotected: [] },
      { ...jwe, aad: '' },
      { ...jwe, aad: 5 },
      { ...jwe, iv: undefined },
      { ...jwe, tag: 1 },
      { ...jwe, ciphertext: undefined },
      { ...jwe, iv: `${jwe.iv}=` },
      { ...jwe, recipients: [{ ...r0, header: { ...r0.header, enc: 'A128GCM' } }] },
      { ...jwe, recipients: [{ ...r0, header: { ...r0.header, crit: ['x'], x: 1 } }] },
      { ...jwe, unprotected: { zip: 'DEF' } },
      `${JSON.stringify(jwe)}x`,
      '{"protected":"a","protected":"b"}',
      '[]',
      42,
      null,
    ];
    for (const b of bad) await expectCode(decryptJson(b as never, key), 'ERR_JWE_INVALID');
  });

  it('unknown top-level members are ignored (RFC 7516 7.2.1); the result never comes from them', async () => {
    const out = await decryptJson({ ...jwe, payload: 'forged', extra: { alg: 'none' } }, key);
    expect(text(out.plaintext)).toBe('x');
  });

  it('enc only in an unprotected header is refused on both sides', async () => {
    const p = { ...jwe, protected: e64({ alg: 'A128KW' }), unprotected: { enc: 'A128GCM' } };
    await expectCode(decryptJson(p, key), 'ERR_JWE_INVALID');
    await expectCode(
      encryptJson('x', { unprotectedHeader: { enc: 'A128GCM' }, recipients: [{ header: { alg: 'A128KW' }, key }] }),
      ['ERR_JWE_INVALID'],
    );
    await expectCode(
      encryptJson('x', {
        protectedHeader: { enc: 'A128GCM', alg: 'A128KW' },
        recipients: [{ header: { alg: 'A128KW' }, key }],
      }),
      ['ERR_JWE_INVALID'],
    );
  });

  it('generated parameters cannot be supplied by the caller', async () => {
    for (const name of ['epk', 'iv', 'tag', 'p2s']) {
      await expectCode(encryptCompact('x', { alg: 'A128KW', enc: 'A128GCM', [name]: 'AAAA' }, key), 'ERR_JWE_INVALID');
    }
  });
});

describe('A35 crit', () => {
  let key: Key;
  beforeAll(async () => {
    key = await generateSecret('A128GCM');
  });
  const make = (extra: Record<string, unknown>) => encryptCompact('x', { alg: 'dir', enc: 'A128GCM', ...extra }, key);

  it('an extension the caller declared is accepted; an unknown one is ERR_JOSE_NOT_SUPPORTED', async () => {
    const jwe = await make({ crit: ['urn:x:mustcheck'], 'urn:x:mustcheck': true });
    await expectCode(decryptCompact(jwe, key), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(decryptCompact(jwe, key, { crit: { 'urn:x:mustcheck': false } }), 'ERR_JOSE_NOT_SUPPORTED');
    expect(text((await decryptCompact(jwe, key, { crit: { 'urn:x:mustcheck': true } })).plaintext)).toBe('x');
    const proto = withHeader(jwe, { alg: 'dir', enc: 'A128GCM', crit: ['toString'], toString: 1 });
    await expectCode(decryptCompact(proto, key, { crit: {} }), ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JWE_INVALID']);
  });

  it('empty, non-array, non-string, duplicated, registered or absent names are ERR_JWE_INVALID on both sides', async () => {
    const jwe = await make({});
    for (const crit of [[], 'x', [null], ['x', 'x'], ['alg'], ['enc'], ['p2c'], ['absent']]) {
      const h = { alg: 'dir', enc: 'A128GCM', crit, x: 1 };
      await expectCode(decryptCompact(withHeader(jwe, h), key, { crit: { x: true } }), 'ERR_JWE_INVALID');
      await expectCode(make({ crit, x: 1 }), 'ERR_JWE_INVALID');
    }
  });
});

describe('headers are parsed strictly', () => {
  it('non-objects, invalid UTF-8, duplicate names, BOM, lone surrogates and missing or non-string alg/enc', async () => {
    const key = await generateSecret('A128GCM');
    const jwe = await encryptCompact('x', { alg: 'dir', enc: 'A128GCM' }, key);
    const bad = [
      'null',
      '[]',
      '"alg"',
      '{}',
      '{"alg":"dir","enc":"A128GCM"',
      '{"alg":"dir","enc":"A128GCM"}x',
      '\ufeff{"alg":"dir","enc":"A128GCM"}',
      '{"alg":"dir","alg":"dir","enc":"A128GCM"}',
      '{"alg":"dir","enc":"A128GCM","x":"\\ud800"}',
      '{"alg":"dir"}',
      '{"enc":"A128GCM"}',
      '{"alg":["dir"],"enc":"A128GCM"}',
      '{"alg":"dir","enc":1}',
      '{"alg":"DIR","enc":"A128GCM"}',
      '{"alg":"dir","enc":"a128gcm"}',
      '{"alg":"dir ","enc":"A128GCM"}',
    ];
    for (const h of bad) await expectCode(decryptCompact(withHeader(jwe, h), key), 'ERR_JWE_INVALID');
    const invalidUtf8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80])];
    for (const b of invalidUtf8) {
      const t = [b.toString('base64url'), ...jwe.split('.').slice(1)].join('.');
      await expectCode(decryptCompact(t, key), 'ERR_JWE_INVALID');
    }
  });
});

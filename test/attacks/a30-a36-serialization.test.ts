/**
 * A30-A36: sign/encrypt confusion, nested tokens, the compact/JSON polyglot, JSON serialization header rules, several
 * signatures, crit and b64. Per-module suites: test/jws/compact.test.ts (A35, A36 on verifyCompact/verifyJson),
 * test/jwt/verify.test.ts (A30, A32, A36 on verifyJwt), test/jwt/encrypted.test.ts (A30, A31),
 * test/jwe/decrypt.test.ts (A33, A35 for JWE). Here: every JWS entry point, including the JSON
 * serialization and createVerifier, and the cases those suites leave out.
 */
import { describe, expect, it } from 'vitest';
import { exportJwk, generateKeyPair, importKey, signCompact, signJson, verifyJson } from '../../src/index.js';
import { encryptCompact } from '../../src/jwe/index.js';
import {
  createUnsecuredJwt,
  decryptAndVerifyJwt,
  decryptJwt,
  signAndEncryptJwt,
  signJwt,
  verifyJwt,
} from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import type { JotErrorCode } from '../../src/errors.js';
import {
  expectJotError,
  hmac,
  hs256,
  hsKey,
  jsonB64u,
  keysFor,
  rawHs256,
  refusedEverywhere,
  SECRET,
  segments,
  text,
  toB64u,
  verifiers,
  expectPayloadOf,
} from '../helpers/index.js';

const ADMIN = { sub: 'admin', iss: 'https://idp.example', aud: 'api', exp: 4_102_444_800 };

describe('A30: a JWE (or a JWS header with enc) is never a signed token', () => {
  it('RSA-OAEP JWE of attacker claims, against the victim key pair, a bound key and a mixed JWKS', async () => {
    const rsa = await generateKeyPair('RS256');
    const victimPublicJwk = await exportJwk(rsa.publicKey);
    const oaepPublic = await importKey({ ...victimPublicJwk, alg: 'RSA-OAEP-256' });
    const jwe = await encryptCompact(JSON.stringify(ADMIN), { alg: 'RSA-OAEP-256', enc: 'A256GCM' }, oaepPublic);
    const privateJwk = await exportJwk(rsa.privateKey, { includePrivate: true });
    const mixed = createLocalJwkSet(
      {
        keys: [
          { ...victimPublicJwk, kid: 'v' },
          { ...privateJwk, kid: 'v-enc', alg: 'RSA-OAEP-256' },
        ],
      },
      { allowPrivate: true },
    );
    for (const list of [
      verifiers(rsa.publicKey),
      verifiers(rsa.privateKey),
      verifiers(mixed, { algorithms: ['RS256'] }),
      verifiers(() => rsa.publicKey, { algorithms: ['RS256'] }),
    ]) {
      await refusedEverywhere(jwe, list, ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
    }
    const withEnc = await signCompact(
      JSON.stringify(ADMIN),
      { alg: 'RS256', enc: 'A256GCM' } as never,
      rsa.privateKey,
    ).catch(() => `${jsonB64u({ alg: 'RS256', enc: 'A256GCM' })}.${jsonB64u(ADMIN)}.AAAA`);
    await refusedEverywhere(withEnc, verifiers(rsa.publicKey), ['ERR_JWS_INVALID']);
    // The RS256 key itself can never do RSA-OAEP; an unbound key needs the algorithm listed; a list that names
    // only another algorithm refuses.
    await expectJotError(decryptJwt(jwe, rsa.privateKey), 'ERR_KEY_INVALID');
    const { alg: _rs256, ...unboundJwk } = privateJwk;
    await expectJotError(decryptJwt(jwe, await importKey(unboundJwk)), 'ERR_INVALID_OPTION');
    const oaepPrivate = await importKey({ ...privateJwk, alg: 'RSA-OAEP-256' });
    await expectJotError(
      decryptJwt(jwe, oaepPrivate, { keyManagementAlgorithms: ['A256KW'] }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
  });
});

describe('A31: nested tokens are processed only through the explicit API, verifying the inner signature', () => {
  it('inner none, an inner token signed by a key it carries, an empty-key HS256, plain JSON, depth 2', async () => {
    const recipient = await generateKeyPair('ECDH-ES+A256KW');
    const signer = await keysFor('ES256');
    const outer = (inner: string, cty: string | null = 'JWT') =>
      encryptCompact(
        inner,
        { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', ...(cty === null ? {} : { cty }) },
        recipient.publicKey,
      );
    const verify = { issuer: 'https://idp.example', audience: 'api' };
    const attacker = await generateKeyPair('ES256');
    const embedded = await signCompact(
      JSON.stringify(ADMIN),
      { alg: 'ES256', typ: 'JWT', jwk: await exportJwk(attacker.publicKey) },
      attacker.privateKey,
    );
    const cases: [string, string, readonly JotErrorCode[]][] = [
      ['none', createUnsecuredJwt(ADMIN), ['ERR_JOSE_ALG_NOT_ALLOWED']],
      ['embedded jwk', embedded, ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED']],
      [
        'HS256 empty key',
        hs256({ alg: 'HS256' }, ADMIN, new Uint8Array(0)),
        ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'],
      ],
      ['plain JSON', JSON.stringify(ADMIN), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']],
    ];
    for (const [name, inner, codes] of cases) {
      for (const cty of ['JWT', 'jwt', 'application/JWT']) {
        const t = await outer(inner, cty);
        const e = await expectJotError(
          decryptAndVerifyJwt(t, recipient.privateKey, signer.publicKey, { verify }),
          codes,
        );
        expect(e.message, name).not.toContain('admin');
        await expectJotError(
          decryptJwt(t, recipient.privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] }),
          'ERR_JWT_INVALID',
        );
      }
    }
    // cty missing while the plaintext is a JWS: decryptJwt never takes it as verified claims.
    const jws = await signJwt(ADMIN, signer.privateKey);
    const noCty = await outer(jws, null);
    await expectJotError(
      decryptJwt(noCty, recipient.privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] }),
      'ERR_JWT_INVALID',
    );
    await expectJotError(
      decryptAndVerifyJwt(noCty, recipient.privateKey, signer.publicKey, { verify }),
      'ERR_JWT_INVALID',
    );
    const good = await signAndEncryptJwt(ADMIN, signer.privateKey, recipient.publicKey, {
      encrypt: { enc: 'A256GCM' },
    });
    expect((await decryptAndVerifyJwt(good, recipient.privateKey, signer.publicKey, { verify })).payload.sub).toBe(
      'admin',
    );
    await expectJotError(
      decryptAndVerifyJwt(await outer(good), recipient.privateKey, signer.publicKey, { verify }),
      'ERR_LIMIT_EXCEEDED',
    );
    // JWS(cty: JWT)(JWS) is refused by verifyJwt, whatever the case of the media type.
    for (const cty of ['JWT', 'jwt', 'application/jwt']) {
      const t = await signJwt(ADMIN, signer.privateKey, { header: { cty } });
      await expectJotError(verifyJwt(t, signer.publicKey, verify), 'ERR_JWT_INVALID');
    }
  });
});

describe('A32: the compact/JSON polyglot', () => {
  it('compact entry points refuse it; verifyJson returns the signed payload or fails, never the forgery', async () => {
    const key = await hsKey();
    const t = await signJwt({ sub: 'user', aud: 'api' }, key);
    const [H, P, S] = segments(t);
    const F = jsonB64u({ sub: 'admin', aud: 'api' });
    const polyglots = [
      `{"${H}":".${F}.","protected":"${H}","payload":"${P}","signature":"${S}"}`,
      `{ "${H}" : ".${F}." , "protected" : "${H}" , "payload" : "${P}" , "signature" : "${S}" }`,
    ];
    for (const p of polyglots) {
      for (const [name, verify] of verifiers(key, {}, { audience: 'api' })) {
        try {
          const r = (await verify(p)) as { payload: unknown };
          const payload = r.payload instanceof Uint8Array ? JSON.parse(text(r.payload)) : r.payload;
          expect(payload, name).toEqual({ sub: 'user', aud: 'api', iat: expect.any(Number) });
        } catch (e) {
          expect((e as { code?: string }).code, name).toMatch(/^ERR_(JWS|JWT)_INVALID$/);
        }
      }
      await expectJotError(verifyJson(p, key), 'ERR_JWS_INVALID');
      await expectJotError(verifyJson(JSON.parse(p), key), 'ERR_JWS_INVALID');
    }
  });
});

describe('A33: JSON serialization header rules (JWS)', () => {
  it('collisions, alg or crit unprotected, empty or missing protected, malformed members', async () => {
    const key = await hsKey();
    const rs = await keysFor('RS256');
    const set = createLocalJwkSet({
      keys: [
        { ...(await exportJwk(rs.publicKey)), kid: 'k1' },
        { kty: 'oct', kid: 'h', k: toB64u(SECRET) },
      ],
    });
    const good = await signJson('{"sub":"u"}', [{ protectedHeader: { alg: 'HS256', kid: 'h' }, key }], {
      flattened: true,
    });
    const { protected: p, payload, signature } = good as { protected: string; payload: string; signature: string };
    const RS_H = jsonB64u({ alg: 'RS256', kid: 'k1' });
    const bad: unknown[] = [
      { payload, protected: RS_H, header: { alg: 'HS256' }, signature },
      { payload, protected: p, header: { alg: 'HS256' }, signature },
      { payload, protected: jsonB64u({ kid: 'k1' }), header: { alg: 'none' }, signature: '' },
      { payload, protected: '', header: { alg: 'HS256' }, signature },
      { payload, header: { alg: 'HS256' }, signature },
      { payload, protected: p, header: [], signature },
      { payload, protected: p, header: 'x', signature },
      { payload, protected: p, header: null, signature },
      { payload, protected: p, header: { crit: ['x'], x: 1 }, signature },
      { payload, protected: p, header: { b64: true }, signature },
      { payload, signatures: [] },
      { payload, protected: p, signature, signatures: [{ protected: p, signature }] },
      { protected: p, signature },
      { payload, protected: p, signature, extra: 1 },
      { payload, signatures: [{ protected: p, signature, payload }] },
      { payload: 1, protected: p, signature },
      { payload, protected: p, signature: 1 },
    ];
    for (const doc of bad) {
      for (const k of [key, set]) {
        await expectJotError(verifyJson(doc as never, k, { algorithms: ['HS256'] }), [
          'ERR_JWS_INVALID',
          'ERR_JOSE_ALG_NOT_ALLOWED',
        ]);
        await expectJotError(verifyJson(JSON.stringify(doc), k, { algorithms: ['HS256'] }), [
          'ERR_JWS_INVALID',
          'ERR_JOSE_ALG_NOT_ALLOWED',
        ]);
      }
    }
    // kid, jku, jwk or x5c only in the unprotected header: the key still comes from the caller's set, and the
    // signature must verify with it.
    const attacker = await generateKeyPair('RS256');
    const atk = await signJson('{"sub":"admin"}', [
      {
        protectedHeader: { alg: 'RS256' },
        unprotectedHeader: { kid: 'k1', jku: 'http://127.0.0.1:1/', jwk: await exportJwk(attacker.publicKey), x5c: [] },
        key: attacker.privateKey,
      },
    ]);
    await expectJotError(verifyJson(atk, set, { algorithms: ['RS256'] }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });
});

describe('A34: several signatures', () => {
  it('the result carries the header of the signature that verified; unverified entries change nothing', async () => {
    const es = await keysFor('ES256');
    const valid = await signJson('{"sub":"u"}', [{ protectedHeader: { alg: 'ES256', kid: 'k1' }, key: es.privateKey }]);
    const { payload } = valid as { payload: string };
    const real = (valid as { signatures: { protected: string; signature: string }[] }).signatures[0]!;
    const none = { protected: jsonB64u({ alg: 'none', kid: 'admin-key', typ: 'at+jwt' }), signature: '' };
    const emptyHs = {
      protected: jsonB64u({ alg: 'HS256', kid: 'admin-key' }),
      signature: segments(rawHs256('{"alg":"HS256","kid":"admin-key"}', '{"sub":"u"}', new Uint8Array(0)))[2],
    };
    for (const signatures of [
      [none, real],
      [real, none],
      [emptyHs, real],
      [real, emptyHs],
      [none, emptyHs, real],
    ]) {
      for (const opts of [undefined, { algorithms: ['ES256'] }]) {
        const r = await verifyJson({ payload, signatures }, es.publicKey, opts);
        expect(r.protectedHeader).toEqual({ alg: 'ES256', kid: 'k1' });
        expect(text(r.payload)).toBe('{"sub":"u"}');
      }
    }
    await expectJotError(verifyJson({ payload, signatures: [none, emptyHs] }, es.publicKey), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    const many = [...Array.from({ length: 9_999 }, () => none), real];
    const t0 = performance.now();
    await expectJotError(verifyJson({ payload, signatures: many }, es.publicKey), 'ERR_LIMIT_EXCEEDED');
    expect(performance.now() - t0).toBeLessThan(1000);
    // JWTs use the compact serialization only: a general JWS is never a JWT.
    await refusedEverywhere(JSON.stringify(valid), verifiers(es.publicKey).slice(2), [
      'ERR_JWS_INVALID',
      'ERR_JWT_INVALID',
    ]);
  });
});

describe('A35: crit on the JWT layer', () => {
  it('unknown, inherited and malformed crit fail on every entry point; a declared extension passes', async () => {
    const key = await hsKey();
    const unknown = hs256({ alg: 'HS256', crit: ['urn:x:mustcheck'], 'urn:x:mustcheck': true }, { sub: 'u' });
    await refusedEverywhere(unknown, verifiers(key), ['ERR_JOSE_NOT_SUPPORTED']);
    await refusedEverywhere(unknown, verifiers(key, {}, { crit: Object.create({ 'urn:x:mustcheck': true }) }), [
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_INVALID_OPTION',
    ]);
    const inherited = hs256({ alg: 'HS256', crit: ['toString'], toString: 1 }, { sub: 'u' });
    await refusedEverywhere(inherited, verifiers(key, {}, { crit: {} }).slice(2), ['ERR_JOSE_NOT_SUPPORTED']);
    for (const h of [
      { crit: [] },
      { crit: 'b64', b64: true },
      { crit: [null] },
      { crit: ['exp'] },
      { crit: ['alg'] },
      { crit: ['x', 'x'], x: 1 },
    ]) {
      await refusedEverywhere(hs256({ alg: 'HS256', ...h }, { sub: 'u' }), verifiers(key), [
        'ERR_JWS_INVALID',
        'ERR_JOSE_NOT_SUPPORTED',
      ]);
    }
    for (const [, verify] of verifiers(key, {}, { crit: { 'urn:x:mustcheck': true } }).slice(2)) {
      expectPayloadOf(await verify(unknown), unknown);
    }
  });
});

describe('A36: b64 false', () => {
  it('a "JWT" with an unencoded payload, or base64 text MACed raw, is never a JWT', async () => {
    const key = await hsKey();
    const h = jsonB64u({ alg: 'HS256', b64: false, crit: ['b64'] });
    const mac = (payload: string) => toB64u(hmac('sha256', SECRET, `${h}.${payload}`));
    const raw = `${h}.{"sub":"admin"}.${mac('{"sub":"admin"}')}`;
    const looksEncoded = `${h}.${jsonB64u({ sub: 'admin' })}.${mac(jsonB64u({ sub: 'admin' }))}`;
    for (const t of [raw, looksEncoded]) {
      await refusedEverywhere(t, verifiers(key).slice(2), ['ERR_JWT_INVALID', 'ERR_JWS_INVALID']);
      await refusedEverywhere(t, verifiers(key).slice(0, 2), ['ERR_JWS_INVALID']);
    }
    await expectJotError(verifyJwt(raw, key, { crit: { b64: true } }), 'ERR_INVALID_OPTION');
    const dotted = `${h}.a.b.${mac('a.b')}`;
    await refusedEverywhere(dotted, verifiers(key, {}, {}).slice(0, 1), ['ERR_JWS_INVALID']);
    for (const header of [
      { alg: 'HS256', b64: false },
      { alg: 'HS256', b64: 'false', crit: ['b64'] },
      { alg: 'HS256', b64: 0, crit: ['b64'] },
    ]) {
      await refusedEverywhere(rawHs256(JSON.stringify(header), '{}'), verifiers(key), [
        'ERR_JWS_INVALID',
        'ERR_JWT_INVALID',
      ]);
    }
  });
});

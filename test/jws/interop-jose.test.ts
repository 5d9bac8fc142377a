/**
 * Interoperability with `jose` (panva/jose v6) as a second implementation, both directions, for every JWS
 * algorithm both support, in the compact, flattened and general serializations, with jot's keys given as JWK,
 * PEM and KeyObject. Algorithms jose lacks (ES256K, EdDSA/Ed448 and Ed448) are pinned as unsupported by jose.
 */
import { createSecretKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type FlattenedJWS,
  type GeneralJWS,
  importKey,
  type JWK,
  type Key,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { expectCode, JWS_ALGS, text } from '../helpers/index.js';

interface Material {
  /** What jose signs and verifies with. */
  josePrivate: KeyObject;
  josePublic: KeyObject;
  /** jot's import forms: [form name, private material, public material]. */
  forms: [string, unknown, unknown][];
}

function material(alg: string): Material {
  if (alg.startsWith('HS')) {
    const bytes = randomBytes(Number(alg.slice(2)) / 8);
    const secret = createSecretKey(bytes);
    const jwk = secret.export({ format: 'jwk' });
    // A secret has no PEM form: its forms are a JWK, raw bytes and a KeyObject.
    return {
      josePrivate: secret,
      josePublic: secret,
      forms: [
        ['JWK', jwk, jwk],
        ['bytes', new Uint8Array(bytes), new Uint8Array(bytes)],
        ['KeyObject', secret, secret],
      ],
    };
  }
  const type = alg.startsWith('RS') || alg.startsWith('PS') ? 'rsa' : alg.startsWith('ES') ? 'ec' : 'ed25519';
  const curve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[alg];
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: curve! })
        : generateKeyPairSync('ed25519');
  return {
    josePrivate: privateKey,
    josePublic: publicKey,
    forms: [
      ['JWK', privateKey.export({ format: 'jwk' }), publicKey.export({ format: 'jwk' })],
      ['PEM', privateKey.export({ format: 'pem', type: 'pkcs8' }), publicKey.export({ format: 'pem', type: 'spki' })],
      ['KeyObject', privateKey, publicKey],
    ],
  };
}

/** jose 6 lacks ES256K and Ed448 (pinned below as unsupported by jose). */
const BOTH = JWS_ALGS.filter((a) => a !== 'ES256K' && a !== 'Ed448');
const PAYLOAD = new TextEncoder().encode('{"iss":"interop","n":1}');

describe('interop with jose', () => {
  for (const alg of BOTH) {
    it(`${alg}: jose -> jot and jot -> jose, compact, flattened and general, keys as JWK/PEM/KeyObject`, async () => {
      const m = material(alg);
      const header = { alg, kid: 'interop' };
      // jose signs once per serialization.
      const compact = await new jose.CompactSign(PAYLOAD).setProtectedHeader(header).sign(m.josePrivate);
      const flattened = await new jose.FlattenedSign(PAYLOAD).setProtectedHeader(header).sign(m.josePrivate);
      const general = await new jose.GeneralSign(PAYLOAD)
        .addSignature(m.josePrivate)
        .setProtectedHeader(header)
        .done()
        .sign();

      for (const [form, priv, pub] of m.forms) {
        const verifier: Key = await importKey(pub as JWK, { alg });
        const signer: Key = await importKey(priv as JWK, { alg });
        const where = `${alg} with a ${form} key`;
        // jose -> jot
        expect(text((await verifyCompact(compact, verifier)).payload), where).toBe(text(PAYLOAD));
        expect((await verifyJson(flattened as FlattenedJWS, verifier)).protectedHeader, where).toEqual(header);
        expect(text((await verifyJson(general as GeneralJWS, verifier)).payload), where).toBe(text(PAYLOAD));
        // jot -> jose
        const options = { algorithms: [alg] };
        const mine = await signCompact(PAYLOAD, header, signer);
        expect((await jose.compactVerify(mine, m.josePublic, options)).protectedHeader, where).toEqual(header);
        const flat = (await signJson(PAYLOAD, [{ protectedHeader: header, key: signer }], {
          flattened: true,
        })) as jose.FlattenedJWS;
        expect((await jose.flattenedVerify(flat, m.josePublic, options)).payload, where).toEqual(PAYLOAD);
        const gen = (await signJson(PAYLOAD, [
          { protectedHeader: header, unprotectedHeader: { note: form }, key: signer },
        ])) as jose.GeneralJWS;
        const v = await jose.generalVerify(gen, m.josePublic, options);
        expect(v.unprotectedHeader, where).toEqual({ note: form });
      }
    });
  }

  it('RFC 7797 unencoded payloads and detached content, both directions (HS256)', async () => {
    const m = material('HS256');
    const header = { alg: 'HS256', b64: false, crit: ['b64'] };
    const key = await importKey(m.forms[0]![1] as JWK, { alg: 'HS256' });
    const theirs = await new jose.FlattenedSign(new TextEncoder().encode('$.02'))
      .setProtectedHeader(header)
      .sign(m.josePrivate);
    // jose writes an unencoded payload as an empty "payload" member (the caller attaches the content).
    expect(theirs.payload).toBe('');
    const attached = { ...theirs, payload: '$.02' } as FlattenedJWS;
    expect(text((await verifyJson(attached, key, { crit: { b64: true } })).payload)).toBe('$.02');
    const { payload: _empty, ...detachedJws } = theirs;
    await verifyJson(detachedJws as FlattenedJWS, key, { crit: { b64: true }, detachedPayload: '$.02' });
    const mine = await signCompact('$.02', header, key, { detached: true });
    const [h, , s] = mine.split('.');
    const back = await jose.flattenedVerify({ protected: h!, payload: '$.02', signature: s! }, m.josePublic);
    expect(text(back.payload)).toBe('$.02');
  });

  it('jose does not support ES256K or Ed448, so those two are tested against jot only', async () => {
    for (const [alg, pair] of [
      ['ES256K', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })],
      ['Ed448', generateKeyPairSync('ed448')],
      ['EdDSA', generateKeyPairSync('ed448')],
    ] as const) {
      await expect(new jose.CompactSign(PAYLOAD).setProtectedHeader({ alg }).sign(pair.privateKey)).rejects.toThrow();
      if (alg === 'ES256K' && LACKS_SECP256K1) {
        await expectCode(importKey(pair.privateKey, { alg }), 'ERR_JOSE_NOT_SUPPORTED');
        continue;
      }
      const signed = await signCompact(PAYLOAD, { alg }, await importKey(pair.privateKey, { alg }));
      await expect(jose.compactVerify(signed, pair.publicKey, { algorithms: [alg] })).rejects.toThrow();
      await verifyCompact(signed, await importKey(pair.publicKey, { alg }));
    }
  });
});

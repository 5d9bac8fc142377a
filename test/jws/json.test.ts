/**
 * The JWS JSON serializations (RFC 7515 section 7.2): which signature verifies and whose headers are returned
 * (A34), unprotected-header rules (A33), structure, limits, and signJson.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type GeneralJWS, type JoseHeader, signJson, verifyJson } from '../../src/index.js';
import { expectCode, keysFor, text, toB64u } from '../helpers/index.js';

const PAYLOAD = toB64u('{"sub":"user"}');

async function es256Entry(unprotectedHeader: Record<string, unknown> = { note: 'n' }) {
  const { privateKey } = await keysFor('ES256');
  const signer = { protectedHeader: { alg: 'ES256', kid: 'k1' }, unprotectedHeader, key: privateKey };
  return ((await signJson('{"sub":"user"}', [signer])) as GeneralJWS).signatures[0]!;
}

describe('A34: several signatures', () => {
  it('the result carries the headers of the signature that verified, never of another entry', async () => {
    const { publicKey } = await keysFor('ES256');
    const good = await es256Entry({ note: 'good' });
    const none = {
      protected: toB64u('{"alg":"none","kid":"admin-key","typ":"at+jwt"}'),
      header: { x: 1 },
      signature: '',
    };
    const h = toB64u('{"alg":"HS256","kid":"admin-key"}');
    const emptyKeyMac = createHmac('sha256', '').update(`${h}.${PAYLOAD}`).digest('base64url');
    const hmac = { protected: h, signature: emptyKeyMac };
    for (const signatures of [
      [none, good],
      [good, none],
      [hmac, none, good],
    ]) {
      const r = await verifyJson({ payload: PAYLOAD, signatures }, publicKey);
      expect(r.protectedHeader).toEqual({ alg: 'ES256', kid: 'k1' });
      expect(r.unprotectedHeader).toEqual({ note: 'good' });
      expect(r.key).toBe(publicKey);
      expect(text(r.payload)).toBe('{"sub":"user"}');
    }
    // Without the good entry nothing verifies, and the attacker's entries decide nothing.
    await expectCode(verifyJson({ payload: PAYLOAD, signatures: [none, hmac] }, publicKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('a resolver sees each entry (both headers) and the result names the key that verified', async () => {
    const es = await keysFor('ES256');
    const ed = await keysFor('EdDSA');
    const jws = (await signJson('multi', [
      { protectedHeader: { alg: 'ES256' }, unprotectedHeader: { kid: 'es' }, key: es.privateKey },
      { protectedHeader: { alg: 'EdDSA' }, unprotectedHeader: { kid: 'ed' }, key: ed.privateKey },
    ])) as GeneralJWS;
    const seen: JoseHeader[] = [];
    const r = await verifyJson(jws, (header) => {
      seen.push(header);
      return header.kid === 'ed' ? ed.publicKey : (undefined as never);
    });
    expect(seen).toEqual([
      { alg: 'ES256', kid: 'es' },
      { alg: 'EdDSA', kid: 'ed' },
    ]);
    expect(r.key).toBe(ed.publicKey);
    expect(r.protectedHeader).toEqual({ alg: 'EdDSA' });
  });

  it('the number of signatures is capped (default 10, configurable)', async () => {
    const { publicKey } = await keysFor('ES256');
    const good = await es256Entry();
    const bad = { ...good, signature: good.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    await verifyJson({ payload: PAYLOAD, signatures: [...Array(9).fill(bad), good] }, publicKey);
    await expectCode(
      verifyJson({ payload: PAYLOAD, signatures: [...Array(10).fill(bad), good] }, publicKey),
      'ERR_LIMIT_EXCEEDED',
    );
    await expectCode(
      verifyJson({ payload: PAYLOAD, signatures: Array(10_000).fill(bad) }, publicKey),
      'ERR_LIMIT_EXCEEDED',
    );
    await expectCode(
      verifyJson({ payload: PAYLOAD, signatures: [bad, bad, good] }, publicKey, { maxSignatures: 2 }),
      'ERR_LIMIT_EXCEEDED',
    );
    for (const maxSignatures of [0, 1001, 2.5, '3']) {
      await expectCode(
        verifyJson({ payload: PAYLOAD, signatures: [good] }, publicKey, { maxSignatures } as never),
        'ERR_INVALID_OPTION',
      );
    }
    // All fail: the signature failure is reported.
    await expectCode(
      verifyJson({ payload: PAYLOAD, signatures: [bad, bad] }, publicKey),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
  });
});

describe('A33: unprotected headers and structure', () => {
  it('protected-only members, overlapping names and non-object headers are invalid', async () => {
    const { publicKey } = await keysFor('ES256');
    const good = await es256Entry();
    for (const header of [
      { alg: 'ES256' },
      { crit: ['x'] },
      { b64: true },
      { enc: 'A128GCM' },
      { zip: 'DEF' },
      { kid: 'k1' }, // also in the protected header
      [],
      'kid',
      null,
    ]) {
      await expectCode(
        verifyJson({ payload: PAYLOAD, signatures: [{ ...good, header } as never] }, publicKey),
        'ERR_JWS_INVALID',
      );
      await expectCode(verifyJson({ payload: PAYLOAD, ...good, header } as never, publicKey), 'ERR_JWS_INVALID');
    }
  });

  it('members, types and payload rules', async () => {
    const { publicKey } = await keysFor('ES256');
    const good = await es256Entry();
    const cases: unknown[] = [
      { payload: PAYLOAD, signatures: [good], extra: 1 },
      { payload: PAYLOAD, signatures: [good], protected: good.protected },
      { payload: PAYLOAD, ...good, signatures: [good] },
      { payload: PAYLOAD, ...good, extra: 1 },
      { payload: PAYLOAD, signatures: [{ ...good, extra: 1 }] },
      { payload: PAYLOAD, signatures: [] },
      { payload: PAYLOAD, signatures: good },
      { payload: PAYLOAD, signatures: ['x'] },
      { payload: PAYLOAD, signatures: [{ ...good, signature: 1 }] },
      { payload: PAYLOAD, signatures: [{ ...good, protected: '' }] },
      { payload: PAYLOAD, signatures: [{ header: { alg: 'ES256' }, signature: good.signature }] },
      { payload: 1, signatures: [good] },
      { signatures: [good] },
    ];
    for (const jws of cases) await expectCode(verifyJson(jws as GeneralJWS, publicKey), 'ERR_JWS_INVALID');
    await expectCode(
      verifyJson({ payload: PAYLOAD, signatures: [good] }, publicKey, { detachedPayload: 'x' }),
      'ERR_JWS_INVALID',
    );
  });

  it('size limits apply to the JSON text and to the members of an object', async () => {
    const { publicKey } = await keysFor('ES256');
    const good = await es256Entry();
    const jws = { payload: PAYLOAD, signatures: [good] };
    await expectCode(verifyJson(JSON.stringify(jws), publicKey, { maxTokenLength: 50 }), 'ERR_LIMIT_EXCEEDED');
    await expectCode(verifyJson(jws, publicKey, { maxTokenLength: 50 }), 'ERR_LIMIT_EXCEEDED');
    await expectCode(verifyJson({ payload: 'A'.repeat(70_000), signatures: [good] }, publicKey), 'ERR_LIMIT_EXCEEDED');
  });
});

describe('signJson', () => {
  it('general with several signers, flattened with one, detached; every signature verifies', async () => {
    const es = await keysFor('ES256');
    const hs = await keysFor('HS256');
    const general = (await signJson('p', [
      { protectedHeader: { alg: 'ES256' }, key: es.privateKey },
      { protectedHeader: { alg: 'HS256' }, unprotectedHeader: { kid: 'h' }, key: hs.privateKey },
    ])) as GeneralJWS;
    expect(general.signatures).toHaveLength(2);
    expect((await verifyJson(general, hs.publicKey)).unprotectedHeader).toEqual({ kid: 'h' });
    expect((await verifyJson(general, es.publicKey)).protectedHeader).toEqual({ alg: 'ES256' });
    const flat = await signJson('p', [{ protectedHeader: { alg: 'ES256' }, key: es.privateKey }], { flattened: true });
    expect(Object.keys(flat).sort()).toEqual(['payload', 'protected', 'signature']);
    await verifyJson(flat, es.publicKey);
    const detached = await signJson('p', [{ protectedHeader: { alg: 'HS256' }, key: hs.privateKey }], {
      detached: true,
    });
    expect(detached).not.toHaveProperty('payload');
    await verifyJson(detached, hs.publicKey, { detachedPayload: 'p' });
    await expectCode(
      verifyJson(detached, hs.publicKey, { detachedPayload: 'q' }),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
  });

  it('refuses what a verifier would refuse', async () => {
    const { privateKey } = await keysFor('HS256');
    const signer = { protectedHeader: { alg: 'HS256' }, key: privateKey };
    await expectCode(signJson('p', []), 'ERR_INVALID_OPTION');
    await expectCode(signJson('p', [signer, signer], { flattened: true }), 'ERR_INVALID_OPTION');
    await expectCode(signJson('p', ['x' as never]), 'ERR_INVALID_OPTION');
    await expectCode(signJson('p', [{ ...signer, unprotectedHeader: { alg: 'HS256' } }]), 'ERR_JWS_INVALID');
    await expectCode(
      signJson('p', [
        { protectedHeader: { alg: 'HS256', kid: 'a' }, unprotectedHeader: { kid: 'b' }, key: privateKey },
      ]),
      'ERR_JWS_INVALID',
    );
    await expectCode(signJson('p', [{ key: privateKey }]), 'ERR_JWS_INVALID');
    const unencoded = { protectedHeader: { alg: 'HS256', b64: false, crit: ['b64'] }, key: privateKey };
    await expectCode(signJson('p', [signer, unencoded]), 'ERR_JWS_INVALID');
    await expectCode(signJson('p', [signer], { compact: true } as never), 'ERR_INVALID_OPTION');
    await expectCode(signJson(123 as never, [signer]), 'ERR_JWS_INVALID');
  });
});

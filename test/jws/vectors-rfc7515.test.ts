/**
 * RFC 7515 appendix A, from two sources (erlang-jose and latchset-jose): A.1 HS256, A.2 RS256, A.3 ES256 and
 * A.4 ES512 verify (and reproduce where the algorithm is deterministic), A.5 `none` is rejected by every JWS
 * function, A.6 general JSON with two signatures, A.7 flattened JSON.
 */
import { expect, it } from 'vitest';
import {
  exportJwk,
  importKey,
  type JWK,
  type Key,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import {
  describeVectors,
  expectCode,
  flipBit,
  fromB64u,
  loadVector,
  segments,
  signRaw,
  text,
  toB64u,
} from '../helpers/index.js';

/** One compact example, normalised from either source. */
interface Case {
  name: string;
  jwk: JWK;
  compact: string;
  /** Exact protected header JSON text (erlang-jose keeps the RFC's CRLFs). */
  headerText?: string;
  payload?: string;
  signingInput?: string;
  signature?: string;
}

// Deterministic signature schemes: the vector's signature can be reproduced byte for byte.
const DETERMINISTIC = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519', 'Ed448']);

function erlangCases(): { cases: Case[]; none: string } {
  const d = loadVector<any>('rfc/erlang-jose/rfc7515_appendix_A.json');
  const cases: Case[] = [];
  for (const n of [1, 2, 3, 4]) {
    const e = d.sections[`A.${n}`].entries;
    const p = `a.${n}.1.`;
    cases.push({
      name: `erlang-jose A.${n}`,
      jwk: JSON.parse(e[`${p}jwk+json`]),
      compact: e[`${p}compact`],
      headerText: e[`${p}jws+json`],
      payload: e[`${p}payload`],
      signingInput: e[`${p}signing-input`],
      signature: e[`${p}signature-b64`],
    });
  }
  return { cases, none: d.sections['A.5'].entries['a.5.compact'] };
}

function latchsetFiles(): Record<string, any> {
  return loadVector<any>('rfc/latchset-jose/rfc7515_appendix_A.json').files;
}

function latchsetCases(): { cases: Case[]; none: string } {
  const f = latchsetFiles();
  const cases: Case[] = [1, 2, 3, 4].map((n) => ({
    name: `latchset-jose A.${n}`,
    jwk: f[`rfc7515_A.${n}.jwk`],
    compact: f[`rfc7515_A.${n}.jwsc`],
  }));
  return { cases, none: f['rfc7515_A.5.jwsc'] };
}

/** The generic runner for one compact example. */
async function runCompactCase(c: Case): Promise<void> {
  const [h, p, s] = segments(c.compact);
  const header = JSON.parse(text(fromB64u(h)));
  const alg: string = header.alg;
  if (c.headerText !== undefined) expect(text(fromB64u(h))).toBe(c.headerText);
  const privateKey = await importKey(c.jwk, { alg });
  const hmac = alg.startsWith('HS');
  const publicKey = hmac ? privateKey : await importKey(await exportJwk(privateKey), { alg });
  expect(publicKey.isPrivate).toBe(hmac);

  for (const key of [privateKey, publicKey]) {
    const r = await verifyCompact(c.compact, key);
    expect(r.protectedHeader).toEqual(header);
    expect(r.key).toBe(key);
    if (c.payload !== undefined) expect(text(r.payload)).toBe(c.payload);
  }
  // The same signature in both JSON serializations.
  await verifyJson({ payload: p, protected: h, signature: s }, publicKey);
  await verifyJson({ payload: p, signatures: [{ protected: h, signature: s }] }, publicKey);

  if (c.signingInput !== undefined) expect(`${h}.${p}`).toBe(c.signingInput);
  const fresh = await signRaw(alg, privateKey, `${h}.${p}`);
  if (DETERMINISTIC.has(alg)) {
    expect(toB64u(fresh)).toBe(c.signature ?? s);
  } else {
    await verifyCompact(`${h}.${p}.${toB64u(fresh)}`, publicKey);
  }
  // jot's own signer with the same header members gives a token jot verifies.
  const mine = await signCompact(fromB64u(p), header, privateKey);
  expect(text((await verifyCompact(mine, publicKey)).payload)).toBe(text(fromB64u(p)));

  await expectCode(verifyCompact(`${h}.${p}.${flipBit(s, 3)}`, publicKey), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  await expectCode(verifyCompact(`${h}.${flipBit(p, 9)}.${s}`, publicKey), [
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    'ERR_JWS_INVALID',
  ]);
}

/**
 * RFC 7515 A.5 is an Unsecured JWS (`alg: "none"`). jot accepts `none` only through verifyUnsecuredJwt (a JWT
 * function in its own module), so every JWS function must reject this vector: it is rejected by design.
 */
async function assertNoneRejected(token: string, hmacKey: Key, unbound: Key): Promise<void> {
  const [h, p] = segments(token);
  expect(JSON.parse(text(fromB64u(h)))).toEqual({ alg: 'none' });
  const notAllowed = 'ERR_JOSE_ALG_NOT_ALLOWED';
  await expectCode(verifyCompact(token, hmacKey), notAllowed);
  await expectCode(verifyCompact(token, unbound, { algorithms: ['HS256'] }), notAllowed);
  await expectCode(
    verifyCompact(token, () => hmacKey),
    notAllowed,
  );
  await expectCode(verifyCompact(token, unbound, { algorithms: ['none'] as string[] }), 'ERR_INVALID_OPTION');
  await expectCode(verifyJson({ payload: p, protected: h, signature: '' }, hmacKey), notAllowed);
  await expectCode(verifyJson({ payload: p, signatures: [{ protected: h, signature: '' }] }, hmacKey), notAllowed);
  await expectCode(verifyJson(JSON.stringify({ payload: p, protected: h, signature: '' }), hmacKey), notAllowed);
  await expectCode(signCompact(fromB64u(p), { alg: 'none' }, hmacKey), notAllowed);
  await expectCode(signJson(fromB64u(p), [{ protectedHeader: { alg: 'none' }, key: hmacKey }]), notAllowed);
}

describeVectors('RFC 7515 appendix A', () => {
  const erlang = erlangCases();
  const latchset = latchsetCases();
  const a1Key = erlang.cases[0]!.jwk;

  for (const c of [...erlang.cases, ...latchset.cases]) {
    it(`${c.name} verifies${c.signature !== undefined ? ' and reproduces' : ''}`, () => runCompactCase(c));
  }

  for (const [name, token] of [
    ['erlang-jose A.5', erlang.none],
    ['latchset-jose A.5', latchset.none],
  ] as const) {
    it(`${name} (alg "none") is rejected by every JWS function, by design`, async () => {
      await assertNoneRejected(token, await importKey(a1Key, { alg: 'HS256' }), await importKey(a1Key));
    });
  }

  it('latchset-jose A.6: general JSON, each signature verifies with its key and reports its header', async () => {
    const f = latchsetFiles();
    const jws = f['rfc7515_A.6.jwsg'];
    const [rsaJwk, ecJwk] = f['rfc7515_A.6.jwkset'].keys as JWK[];
    expect(f['rfc7515_A.6.1.jwk']).toEqual(rsaJwk);
    expect(f['rfc7515_A.6.2.jwk']).toEqual(ecJwk);
    const rsa = await importKey(rsaJwk!, { alg: 'RS256' });
    const ec = await importKey(ecJwk!, { alg: 'ES256' });

    const byRsa = await verifyJson(jws, rsa);
    expect(byRsa.protectedHeader).toEqual({ alg: 'RS256' });
    expect(byRsa.unprotectedHeader).toEqual({ kid: '2010-12-29' });
    expect(byRsa.key).toBe(rsa);
    const byEc = await verifyJson(jws, ec);
    expect(byEc.protectedHeader).toEqual({ alg: 'ES256' });
    expect(byEc.unprotectedHeader).toEqual({ kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' });
    expect(text(byEc.payload)).toBe(text(byRsa.payload));

    // A resolver picking by the (unprotected, opaque) kid.
    const byKid = await verifyJson(jws, (hdr) => (hdr.kid === '2010-12-29' ? rsa : ec));
    expect(byKid.protectedHeader).toEqual({ alg: 'RS256' });
    // An allow-list that admits only the second signature's algorithm selects it.
    const unbound = await importKey(ecJwk!);
    expect((await verifyJson(jws, unbound, { algorithms: ['ES256'] })).unprotectedHeader?.kid).toMatch(/^e9bc/);
    // No signature uses HS256: nothing verifies.
    const hs = await importKey(erlang.cases[0]!.jwk, { alg: 'HS256' });
    await expectCode(verifyJson(jws, hs), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('latchset-jose A.7: flattened JSON', async () => {
    const f = latchsetFiles();
    const jws = f['rfc7515_A.7.jwsf'];
    expect(f['rfc7515_A.7.jwk'].symlink_to).toBe('rfc7515_A.3.jwk');
    const key = await importKey(f['rfc7515_A.7.jwk'].value, { alg: 'ES256' });
    const r = await verifyJson(jws, key);
    expect(r.protectedHeader).toEqual({ alg: 'ES256' });
    expect(r.unprotectedHeader).toEqual({ kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' });
    expect(text(r.payload)).toContain('"iss":"joe"');
    await verifyJson(JSON.stringify(jws), key);
    await expectCode(verifyJson({ ...jws, signature: flipBit(jws.signature, 100) }, key), [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ]);
  });
});

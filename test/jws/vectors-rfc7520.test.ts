/**
 * The JOSE Cookbook (RFC 7520 section 4) with its RFC 7797 and RFC 8037 companions, the RFC 7797 fixtures of
 * joserfc and the RFC 8037 appendix A signature examples. One generic runner per vector format.
 */
import { expect, it } from 'vitest';
import {
  importKey,
  type JWK,
  type JwsVerifyOptions,
  type Key,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import {
  describeVectors,
  expectCode,
  fromB64u,
  loadVector,
  segments,
  signRaw,
  text,
  toB64u,
  utf8,
} from '../helpers/index.js';

const COOKBOOK = [
  'jws/4_1.rsa_v15_signature.json',
  'jws/4_2.rsa-pss_signature.json',
  'jws/4_3.ecdsa_signature.json',
  'jws/4_4.hmac-sha2_integrity_protection.json',
  'jws/4_5.signature_with_detached_content.json',
  'jws/4_6.protecting_specific_header_fields.json',
  'jws/4_7.protecting_content_only.json',
  'jws/4_8.multiple_signatures.json',
  'rfc7797/4.2.hmac-sha2_b64_false.json',
  'rfc7797/hmac-sha2_b64_false.json',
  'curve25519/jws.json',
] as const;

/**
 * Examples that conflict with a strict jot requirement, and why. Each is asserted to fail with `code`.
 */
const REJECTED_BY_DESIGN: Readonly<Record<string, { code: 'ERR_JWS_INVALID'; why: string }>> = {
  // RFC 7520 4.7 puts "alg" in the unprotected header. jot requires "alg" (and every other parameter that steers
  // verification) to be integrity protected: an unprotected alg can be rewritten by anyone (A33, A06).
  'jws/4_7.protecting_content_only.json': { code: 'ERR_JWS_INVALID', why: 'alg is not integrity protected' },
  // RFC 7520 4.8's second signature has the same unprotected "alg" as 4.7. jot parses every entry before verifying
  // any, and a malformed entry fails the whole JWS. The two well-formed signatures are checked separately below.
  'jws/4_8.multiple_signatures.json': { code: 'ERR_JWS_INVALID', why: 'one signature has an unprotected alg' },
  // The cookbook's copy of RFC 7797 4.2 predates the final RFC: its protected header is {"alg":"HS256","b64":false}
  // without "crit". RFC 7797 section 6 requires "b64" to be listed in "crit"; jot enforces it (A36). The final
  // RFC 7797 4.2 example (with crit) is in the joserfc suite below and passes.
  'rfc7797/4.2.hmac-sha2_b64_false.json': { code: 'ERR_JWS_INVALID', why: 'b64 without crit' },
};

const DETERMINISTIC = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA']);

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

interface Signing {
  protected?: Record<string, unknown>;
  protected_b64u?: string;
  unprotected?: Record<string, unknown>;
  'sig-input': string;
  sig: string;
}

/** The generic runner for one cookbook file. */
async function runCookbook(file: string): Promise<'rejected' | 'verified' | 'reproduced'> {
  const v = loadVector<any>(`rfc7520/${file}`);
  const algs = list<string>(v.input.alg);
  const keys: Key[] = [];
  for (const [i, jwk] of list<JWK>(v.input.key).entries()) keys.push(await importKey(jwk, { alg: algs[i]! }));
  const signings = list<Signing>(v.signing);
  const payload = utf8(v.input.payload);
  const b64 = signings[0]!.protected?.b64 !== false;
  const base: JwsVerifyOptions = b64 ? {} : { crit: { b64: true } };
  const rejected = REJECTED_BY_DESIGN[file];

  const { compact, json, json_flat: flat } = v.output as { compact?: string; json?: any; json_flat?: any };
  expect(typeof compact === 'string' || typeof (json ?? flat) === 'object').toBe(true);
  if (compact !== undefined) {
    const detached = segments(compact)[1] === '';
    const options = detached ? { ...base, detachedPayload: payload } : base;
    if (rejected) await expectCode(verifyCompact(compact, keys[0]!, options), rejected.code);
    else expect((await verifyCompact(compact, keys[0]!, options)).payload).toEqual(payload);
  }
  for (const doc of [json, flat]) {
    if (doc === undefined) continue;
    const options = doc.payload === undefined ? { ...base, detachedPayload: payload } : base;
    for (const [i, key] of keys.entries()) {
      if (rejected) {
        await expectCode(verifyJson(doc, key, options), rejected.code);
        continue;
      }
      const r = await verifyJson(doc, key, options);
      expect(r.payload).toEqual(payload);
      expect(r.protectedHeader).toEqual(signings[i]!.protected);
      expect(r.unprotectedHeader).toEqual(signings[i]!.unprotected);
      expect(r.key).toBe(key);
    }
  }
  if (rejected) return 'rejected';

  // Reproduce: whole outputs through jot's signers when the header bytes are JSON.stringify's; else the signature.
  for (const [i, s] of signings.entries()) {
    const alg = algs[i]!;
    if (!DETERMINISTIC.has(alg)) continue;
    // rfc7797/hmac-sha2_b64_false.json carries a stale "signing" record (another header and payload, a signature
    // that is not in its outputs); its outputs are reproduced below instead.
    if (!JSON.stringify(v.output).includes(s.sig)) {
      expect(file).toBe('rfc7797/hmac-sha2_b64_false.json');
      continue;
    }
    expect(toB64u(await signRaw(alg, keys[i]!, utf8(s['sig-input'])))).toBe(s.sig);
  }
  const sigEntries: any[] = json?.signatures ?? (flat ? [flat] : []);
  const outHeader = (i: number): string | undefined =>
    i === 0 && compact !== undefined ? segments(compact)[0] : sigEntries[i]?.protected;
  const canonical = signings.every((s, i) => outHeader(i) === toB64u(JSON.stringify(s.protected)));
  if (v.reproducible === true && canonical && algs.every((a) => DETERMINISTIC.has(a))) {
    const detached = json !== undefined && json.payload === undefined;
    if (compact !== undefined) {
      const opts = detached ? { detached: true } : {};
      expect(await signCompact(payload, signings[0]!.protected as any, keys[0]!, opts)).toBe(compact);
    }
    const signers = signings.map((s, i) => ({
      protectedHeader: s.protected as any,
      ...(s.unprotected ? { unprotectedHeader: s.unprotected } : {}),
      key: keys[i]!,
    }));
    if (json !== undefined) expect(await signJson(payload, signers, { detached })).toEqual(json);
    if (flat !== undefined) expect(await signJson(payload, signers, { flattened: true, detached })).toEqual(flat);
    return 'reproduced';
  }
  return 'verified';
}

describeVectors('RFC 7520 section 4, with its RFC 7797 and RFC 8037 companions', () => {
  for (const file of COOKBOOK) {
    const r = REJECTED_BY_DESIGN[file];
    // ECDSA and RSA-PSS signatures are randomized: those examples can only be verified.
    const expected = r ? 'rejected' : /4_2|4_3/.test(file) ? 'verified' : 'reproduced';
    const title = r
      ? `is rejected by design (${r.why})`
      : `verifies${expected === 'reproduced' ? ' and reproduces' : ''}`;
    it(`${file} ${title}`, async () => {
      expect(await runCookbook(file)).toBe(expected);
    });
  }

  it('4_8: the two signatures with protected algorithms verify on their own', async () => {
    const v = loadVector<any>('rfc7520/jws/4_8.multiple_signatures.json');
    const [rsa, , hmac] = v.input.key as JWK[];
    const sigs = v.output.json.signatures as any[];
    const jws = { payload: v.output.json.payload, signatures: [sigs[0], sigs[2]] };
    const a = await verifyJson(jws, await importKey(rsa!, { alg: 'RS256' }));
    expect(a.unprotectedHeader).toEqual({ kid: 'bilbo.baggins@hobbiton.example' });
    const b = await verifyJson(jws, await importKey(hmac!));
    expect(b.protectedHeader).toEqual({ alg: 'HS256', kid: '018c0ae5-4d9b-471b-bfd6-eef314bc7037' });
    expect(text(b.payload)).toBe(v.input.payload);
  });

  it('4_7: jot will not produce a JWS whose alg is unprotected either', async () => {
    const v = loadVector<any>('rfc7520/jws/4_7.protecting_content_only.json');
    const key = await importKey(v.input.key);
    await expectCode(signJson('x', [{ unprotectedHeader: { alg: 'HS256' }, key }]), 'ERR_JWS_INVALID');
  });

  it('b64: false examples are rejected unless the caller understands b64', async () => {
    const v = loadVector<any>('rfc7520/rfc7797/hmac-sha2_b64_false.json');
    const key = await importKey(v.input.key);
    await expectCode(verifyCompact(v.output.compact, key), 'ERR_JWS_INVALID');
    await expectCode(verifyJson(v.output.json, key), 'ERR_JWS_INVALID');
    await expectCode(verifyJson(v.output.json_flat, key, { crit: { b64: false } }), 'ERR_JWS_INVALID');
  });
});

describeVectors('RFC 7797 (joserfc fixtures, RFC 7515 A.1 key)', () => {
  const fixture = loadVector<any>('rfc/joserfc/jws_rfc7797.json');
  const keyJwk = JSON.parse(
    loadVector<any>('rfc/erlang-jose/rfc7515_appendix_A.json').sections['A.1'].entries['a.1.1.jwk+json'],
  );
  for (const t of fixture.tests as any[]) {
    it(`${t.name}: verifies and reproduces (compact and flattened)`, async () => {
      const key = await importKey(keyJwk, { alg: 'HS256' });
      const payload: string = t.payload ?? fixture.payload;
      const b64 = t.protected.b64 !== false;
      const crit = b64 ? {} : { crit: { b64: true } };
      // An unencoded payload containing "." cannot be inline in a compact JWS (RFC 7797 section 5.2): detached.
      const detached = segments(t.compact)[1] === '';
      expect(detached).toBe(!b64 && payload.includes('.'));
      const r = await verifyCompact(t.compact, key, detached ? { ...crit, detachedPayload: payload } : crit);
      expect(text(r.payload)).toBe(payload);
      expect(r.protectedHeader).toEqual(t.protected);
      expect(text((await verifyJson(t.flattened_json, key, crit)).payload)).toBe(payload);
      expect(await signCompact(payload, t.protected, key, detached ? { detached: true } : {})).toBe(t.compact);
      expect(await signJson(payload, [{ protectedHeader: t.protected, key }], { flattened: true })).toEqual(
        t.flattened_json,
      );
      if (!b64) {
        await expectCode(verifyJson(t.flattened_json, key), 'ERR_JWS_INVALID');
        if (!detached) await expectCode(verifyCompact(t.compact, key), 'ERR_JWS_INVALID');
      }
    });
  }
});

describeVectors('RFC 8037 appendix A.4/A.5 (Ed25519 signing and verification)', () => {
  const d = loadVector<any>('rfc/erlang-jose/rfc8037_appendix_A.json').sections;
  it('A.4 signs deterministically and A.5 verifies, with EdDSA and the fully specified Ed25519', async () => {
    const priv = JSON.parse(d['A.1'].files['a.1.jwk+json']);
    const pub = JSON.parse(d['A.2'].files['a.2.jwk+json']);
    const a4 = d['A.4'].entries;
    const token: string = a4['a.4.sig+compact'];
    expect(d['A.5'].entries['a.5.sig+compact']).toBe(token);
    expect(segments(token)[0]).toBe(a4['a.4.jws+b64']);
    const signer = await importKey(priv, { alg: 'EdDSA' });
    const verifier = await importKey(pub, { alg: 'EdDSA' });
    expect(await signCompact(a4['a.4.txt'], { alg: 'EdDSA' }, signer)).toBe(token);
    expect(toB64u(await signRaw('EdDSA', signer, a4['a.4.signing-input']))).toBe(a4['a.4.sig+b64']);
    expect(text((await verifyCompact(token, verifier)).payload)).toBe(d['A.5'].entries['a.5.txt']);
    expect(segments(token)[2]).toBe(toB64u(fromB64u(a4['a.4.sig+b64'])));
    // RFC 9864: "Ed25519" names the same signature with a fully specified identifier.
    const fully = await signCompact(a4['a.4.txt'], { alg: 'Ed25519' }, await importKey(priv, { alg: 'Ed25519' }));
    expect(segments(fully)[2]).not.toBe(segments(token)[2]);
    await verifyCompact(fully, await importKey(pub, { alg: 'Ed25519' }));
    // A key bound to EdDSA does not verify an Ed25519-labelled token and vice versa (one key, one algorithm).
    await expectCode(verifyCompact(fully, verifier), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(verifyCompact(token, await importKey(pub, { alg: 'Ed25519' })), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });
});

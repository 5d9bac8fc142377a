// The one runner for the ML-DSA vectors of test/vectors/mldsa/ (origin and selection in its README):
// - RFC 9964's JOSE examples (ML-DSA-44/65/87): through the public API end to end (JWK import and export, RFC 7638
//   thumbprint as kid, compact JWS verification, a fresh signature);
// - NIST ACVP keyGen: the seed as an AKP `priv` through importKey (jot derives `pub` from it and compares), and each
//   provider's public key of the seed;
// - NIST ACVP sigVer: keys through importKey, signatures through the crypto backend that every JWS verification calls;
//   signed with the internal interface, so never a JOSE signature: refused (RFC 9964: the context is empty), while
//   @noble/post-quantum, used directly, checks that each case is what its file says it is.
// Project Wycheproof's verify and sign cases run in ml-dsa-wycheproof.test.ts.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ML_DSA_PARAMETERS } from '../../src/alg/ml-dsa.js';
import { hasNativeMlDsa, loadMlDsa, loadPureJsMlDsa } from '../../src/crypto/ml-dsa.js';
import { exportJwk, importKey, type JWK, jwkThumbprint, signCompact, verifyCompact } from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';
import {
  ALGS,
  type Alg,
  b64u,
  backendVerifies,
  hex,
  noble,
  publicJwk,
  readVectors as read,
} from '../helpers/ml-dsa-vectors.js';

describe('RFC 9964 JOSE examples (all-zero seed)', () => {
  for (const alg of ALGS) {
    const v = read<{ seed: string; jwk: JWK & { kid: string; pub: string; priv: string }; jws: string }>(
      `rfc9964-ml-dsa-${alg.slice(-2)}.json`,
    );
    it(`${alg}: the private JWK imports (priv is the seed: jot derives pub and finds the example's), kid is its thumbprint`, async () => {
      expect(hex(v.seed)).toEqual(Buffer.from(v.jwk.priv, 'base64url'));
      const key = await importKey(v.jwk);
      expect(key).toMatchObject({ kty: 'AKP', alg, isPrivate: true, kid: v.jwk.kid });
      expect(await jwkThumbprint(key)).toBe(v.jwk.kid);
      expect(await exportJwk(key, { includePrivate: true })).toEqual(v.jwk);
      // the same seed with another parameter set's pub is refused
      const other = ALGS.find((a) => a !== alg)!;
      await expectJotError(() => importKey({ ...v.jwk, alg: other }), ['ERR_JWK_INVALID']);
    });

    it(`${alg}: the example JWS verifies with the public JWK; tampered, or under another parameter set, it does not`, async () => {
      const { priv: _, ...pubJwk } = v.jwk;
      const pub = await importKey(pubJwk);
      const { payload, protectedHeader } = await verifyCompact(v.jws, pub, { algorithms: [alg] });
      expect(new TextDecoder().decode(payload)).toBe('It\u2019s a dangerous business, Frodo, going out your door.');
      expect(protectedHeader).toEqual({ alg, kid: v.jwk.kid });
      const [h, p, s] = v.jws.split('.') as [string, string, string];
      const sig = Buffer.from(s, 'base64url');
      sig[sig.length >> 1]! ^= 1;
      await expectJotError(
        () => verifyCompact(`${h}.${p}.${b64u(sig)}`, pub),
        ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
      );
      await expectJotError(() => verifyCompact(`${h}.${p}x.${s}`, pub), ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED']);
    });

    it(`${alg}: the example key signs anew (hedged: two signatures differ); noble verifies jot's signature`, async () => {
      const key = await importKey(v.jwk);
      const a = await signCompact('x', { alg }, key);
      const b = await signCompact('x', { alg }, key);
      expect(a).not.toBe(b);
      const [h, p, s] = a.split('.') as [string, string, string];
      expect(
        noble[alg].verify(Buffer.from(s, 'base64url'), Buffer.from(`${h}.${p}`), Buffer.from(v.jwk.pub, 'base64url')),
      ).toBe(true);
      await expect(verifyCompact(b, key)).resolves.toBeDefined();
    });
  }
});

interface KeyGenCase {
  tcId: number;
  parameterSet: Alg;
  seed: string;
  pk: string;
}

describe('NIST ACVP ML-DSA keyGen (FIPS 204): the seed gives the public key', () => {
  const { tests } = read<{ tests: KeyGenCase[] }>('acvp-mldsa-keygen-subset.json');
  it('covers every parameter set', () => {
    expect(new Set(tests.map((t) => t.parameterSet))).toEqual(new Set(ALGS));
  });
  for (const t of tests) {
    it(`tcId ${t.tcId} (${t.parameterSet}): importKey of {priv: seed, pub: pk} succeeds; each provider derives pk`, async () => {
      const alg = t.parameterSet;
      const key = await importKey({ kty: 'AKP', alg, priv: b64u(hex(t.seed)), pub: b64u(hex(t.pk)) });
      expect(key).toMatchObject({ alg, isPrivate: true });
      expect(Buffer.from((await exportJwk(key)).pub!, 'base64url')).toEqual(hex(t.pk));
      const p = ML_DSA_PARAMETERS[alg]!;
      const providers = [await loadMlDsa(), ...(hasNativeMlDsa() ? [await loadPureJsMlDsa()] : [])];
      for (const provider of providers)
        expect(Buffer.from(await provider.publicFromSeed(p, hex(t.seed)))).toEqual(hex(t.pk));
      // the seed with a public key that is not its own: refused
      const wrong = Buffer.from(hex(t.pk));
      wrong[wrong.length - 1]! ^= 1;
      await expectJotError(
        () => importKey({ kty: 'AKP', alg, priv: b64u(hex(t.seed)), pub: b64u(wrong) }),
        ['ERR_KEY_INVALID'],
      );
    });
  }
});

describe('NIST ACVP ML-DSA sigVer (internal interface): never a JOSE signature', () => {
  const file = read<{
    testGroups: {
      parameterSet: Alg;
      pk: string;
      tests: { tcId: number; testPassed: boolean; reason: string; message: string; signature: string }[];
    }[];
  }>('acvp-mldsa-sigver-subset.json');
  for (const g of file.testGroups) {
    for (const t of g.tests) {
      it(`tcId ${t.tcId} (${g.parameterSet}, ${t.reason}): internal verification ${t.testPassed}; jot refuses`, async () => {
        const pk = hex(g.pk);
        const msg = hex(t.message);
        const sig = hex(t.signature);
        expect(noble[g.parameterSet].internal.verify(sig, msg, pk)).toBe(t.testPassed);
        const key = await importKey(publicJwk(g.parameterSet, pk));
        expect(await backendVerifies(g.parameterSet, key, msg, sig)).toBe(false);
      });
    }
  }
});

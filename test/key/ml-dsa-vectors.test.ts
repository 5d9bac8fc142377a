// The one runner for the ML-DSA vectors of test/vectors/mldsa/ (origin and selection in its README):
// - RFC 9964's JOSE examples (ML-DSA-44/65/87): through the public API end to end (JWK import and export, RFC 7638
//   thumbprint as kid, compact JWS verification, a fresh signature);
// - NIST ACVP keyGen: the seed as an AKP `priv` through importKey (jot derives `pub` from it and compares), and each
//   provider's public key of the seed;
// - NIST ACVP sigVer and Project Wycheproof verify cases: keys through importKey (JWK `pub` and SPKI PEM), signatures
//   through the crypto backend that every JWS verification calls (a raw message is not a JWS signing input, so no JWS
//   can carry these signatures); a case with a non-empty context, or signed with the internal interface, is not a
//   JOSE signature and must be refused (RFC 9964: the context is empty). @noble/post-quantum, used directly, checks
//   that such a case is what its file says it is, so the refusal is jot's domain separation and not a broken vector.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import { ML_DSA_PARAMETERS } from '../../src/alg/ml-dsa.js';
import { sig as sigImpl } from '#crypto/sig';
import { keyHandle } from '../../src/key/key.js';
import { SYNC_CRYPTO } from '../helpers/runtime.js';
import { hasNativeMlDsa, loadMlDsa, loadPureJsMlDsa } from '../../src/crypto/ml-dsa.js';
import {
  exportJwk,
  importKey,
  JWS_ALGORITHMS,
  type JWK,
  jwkThumbprint,
  type Key,
  signCompact,
  verifyCompact,
} from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';

const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
type Alg = (typeof ALGS)[number];
const noble = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../vectors/mldsa/${name}`, import.meta.url), 'utf8')) as T;
const hex = (s: string) => Buffer.from(s, 'hex');
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const pemOf = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;
const publicJwk = (alg: Alg, pub: Uint8Array): JWK => ({ kty: 'AKP', alg, pub: b64u(pub) });

/** The backend's verdict, async and sync (both paths of jot's JWS verification). */
async function backendVerifies(alg: Alg, key: Key, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const a = JWS_ALGORITHMS[alg]!;
  const async = await sigImpl.verify(a, keyHandle(key), msg, sig);
  if (SYNC_CRYPTO) expect(sigImpl.verifySync(a, keyHandle(key), msg, sig)).toBe(async);
  else expect(() => sigImpl.verifySync(a, keyHandle(key), msg, sig)).toThrow(/asynchronous/);
  return async;
}

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
      for (const provider of providers) expect(Buffer.from(provider.publicFromSeed(p, hex(t.seed)))).toEqual(hex(t.pk));
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

interface WycheproofCase {
  tcId: number;
  comment: string;
  msg: string;
  ctx?: string;
  sig: string;
  result: 'valid' | 'invalid';
  flags: string[];
}
interface WycheproofSet {
  algorithm: Alg;
  testGroups: { publicKey: string; publicKeyDer?: string; tests: WycheproofCase[] }[];
}

describe('Project Wycheproof ML-DSA verify vectors', () => {
  const { sets } = read<{ sets: WycheproofSet[] }>('wycheproof-mldsa-verify-subset.json');

  it('cover the three parameter sets and, for ML-DSA-44, these flag kinds of the source file', () => {
    expect(sets.map((s) => s.algorithm)).toEqual([...ALGS]);
    const flags = new Set(sets[0]!.testGroups.flatMap((g) => g.tests.flatMap((t) => t.flags)));
    expect([...flags].sort()).toEqual([
      'IncorrectPublicKeyLength',
      'IncorrectSignatureLength',
      'InvalidContext',
      'InvalidHintsEncoding',
      'ManySteps',
      'ModifiedSignature',
      'ValidSignature',
    ]);
  });

  for (const set of sets) {
    const alg = set.algorithm;
    const p = ML_DSA_PARAMETERS[alg]!;
    for (const g of set.testGroups) {
      const pk = hex(g.publicKey);
      for (const t of g.tests) {
        const jose = t.ctx === undefined || t.ctx === '';
        it(`${alg} tcId ${t.tcId} (${t.comment}; ${t.flags.join(', ')}): ${jose ? t.result : 'not JOSE (a context), refused'}`, async () => {
          if (pk.byteLength !== p.publicKeyBytes) {
            expect(t.result).toBe('invalid');
            await expectJotError(() => importKey(publicJwk(alg, pk)), ['ERR_JWK_INVALID']);
            if (g.publicKeyDer !== undefined) {
              await expectJotError(() => importKey(pemOf('PUBLIC KEY', hex(g.publicKeyDer!))), ['ERR_KEY_INVALID']);
            }
            return;
          }
          const key = await importKey(publicJwk(alg, pk));
          if (g.publicKeyDer !== undefined) {
            const fromSpki = await importKey(pemOf('PUBLIC KEY', hex(g.publicKeyDer)));
            expect(await jwkThumbprint(fromSpki)).toBe(await jwkThumbprint(key));
          }
          const msg = hex(t.msg);
          const sig = hex(t.sig);
          const verdict = await backendVerifies(alg, key, msg, sig);
          if (jose) {
            expect(verdict).toBe(t.result === 'valid');
            return;
          }
          // A signature under a context is not a JOSE signature: refused whatever the vector says of it.
          expect(verdict).toBe(false);
          const ctx = hex(t.ctx!);
          if (ctx.byteLength <= 255)
            expect(noble[alg].verify(sig, msg, pk, { context: ctx })).toBe(t.result === 'valid');
          else expect(() => noble[alg].verify(sig, msg, pk, { context: ctx })).toThrow();
        });
      }
    }
  }
});

// The runner for Project Wycheproof's ML-DSA vectors in test/vectors/mldsa/ (origin and selection in its README):
// - verify cases: keys through importKey (JWK `pub` and SPKI PEM), signatures through the crypto backend that every
//   JWS verification calls (a raw message is not a JWS signing input, so no JWS can carry these signatures); a case
//   with a non-empty context is not a JOSE signature and must be refused (RFC 9964: the context is empty), while
//   @noble/post-quantum, used directly, checks that such a case is what its file says it is;
// - sign cases (seed files): the seed through importKey (as an AKP `priv` and as the file's PKCS#8), the expected
//   signature checked byte-exact against the reference's deterministic signing and its external-mu form, and against
//   jot's own signing path with the signing randomness set to zero: FIPS 204's deterministic variant is the hedged one
//   with rnd = 0^32, so jot's hedged signer must then give the file's signature byte for byte.
import { Buffer } from 'node:buffer';
import { sig as sigImpl } from '#crypto/sig';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ML_DSA_PARAMETERS, type MlDsaParameters } from '../../src/alg/ml-dsa.js';
import { hasNativeMlDsa, loadPureJsMlDsa } from '../../src/crypto/ml-dsa.js';
import { keyHandle } from '../../src/key/key.js';
import { exportJwk, importKey, JWS_ALGORITHMS, jwkThumbprint } from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';
import {
  ALGS,
  type Alg,
  b64u,
  backendVerifies,
  hex,
  noble,
  pemOf,
  publicJwk,
  readVectors,
} from '../helpers/ml-dsa-vectors.js';

interface VerifyCase {
  tcId: number;
  comment: string;
  msg: string;
  ctx?: string;
  sig: string;
  result: 'valid' | 'invalid';
  flags: string[];
}
interface VerifySet {
  algorithm: Alg;
  testGroups: { publicKey: string; publicKeyDer?: string; tests: VerifyCase[] }[];
}

/** z of an ML-DSA signature as signed coefficients (FIPS 204 BitUnpack with gamma1), for the norm cases. */
function zOf(p: MlDsaParameters, sig: Uint8Array): number[] {
  const gamma1 = p.set === 'ml-dsa-44' ? 2 ** 17 : 2 ** 19;
  const bits = p.set === 'ml-dsa-44' ? 18 : 20;
  const l = { 'ml-dsa-44': 4, 'ml-dsa-65': 5, 'ml-dsa-87': 7 }[p.set];
  const cBytes = { 'ml-dsa-44': 32, 'ml-dsa-65': 48, 'ml-dsa-87': 64 }[p.set];
  const z: number[] = [];
  let acc = 0n;
  let n = 0;
  for (const b of sig.subarray(cBytes, cBytes + (l * 256 * bits) / 8)) {
    acc |= BigInt(b) << BigInt(n);
    n += 8;
    while (n >= bits) {
      z.push(gamma1 - Number(acc & ((1n << BigInt(bits)) - 1n)));
      acc >>= BigInt(bits);
      n -= bits;
    }
  }
  return z;
}

describe('Project Wycheproof ML-DSA verify vectors', () => {
  const { sets } = readVectors<{ sets: VerifySet[] }>('wycheproof-mldsa-verify-subset.json');

  it('cover the three parameter sets and, for ML-DSA-44, every flag kind of the source file', () => {
    expect(sets.map((s) => s.algorithm)).toEqual([...ALGS]);
    const flags = new Set(sets[0]!.testGroups.flatMap((g) => g.tests.flatMap((t) => t.flags)));
    expect([...flags].sort()).toEqual([
      'BoundaryCondition',
      'IncorrectPublicKeyLength',
      'IncorrectSignatureLength',
      'InfinityNormViolation',
      'InvalidContext',
      'InvalidHintsEncoding',
      'InvalidPrivateKey',
      'ManySteps',
      'ModifiedSignature',
      'ValidSignature',
      'ZeroPublicKey',
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
          if (t.flags.includes('InfinityNormViolation')) {
            // the case is what its comment says: exactly one coefficient of z at or past gamma1 - beta, at that index
            const [, index, direction] = /violate index (\d+) in the (positive|negative) direction/.exec(t.comment)!;
            const beta = { 'ml-dsa-44': 78, 'ml-dsa-65': 196, 'ml-dsa-87': 120 }[p.set];
            const gamma1 = p.set === 'ml-dsa-44' ? 2 ** 17 : 2 ** 19;
            const over = zOf(p, sig).flatMap((c, i) => (Math.abs(c) >= gamma1 - beta ? [[i, Math.sign(c)]] : []));
            expect(over).toEqual([[Number(index), direction === 'positive' ? 1 : -1]]);
          }
          const verdict = await backendVerifies(alg, key, msg, sig);
          if (jose) {
            expect(verdict).toBe(t.result === 'valid');
            expect(noble[alg].verify(sig, msg, pk)).toBe(t.result === 'valid');
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

interface SignCase {
  tcId: number;
  comment: string;
  msg: string;
  ctx?: string;
  mu?: string;
  sig: string;
  result: 'valid' | 'invalid';
  flags: string[];
}
interface SignSet {
  algorithm: Alg;
  testGroups: { privateSeed: string; privateKeyPkcs8: string; publicKey: string; tests: SignCase[] }[];
}

/** Run `f` with crypto.getRandomValues giving zeros (FIPS 204's deterministic rnd); how many calls it served. */
async function withZeroRandomness<T>(f: () => Promise<T>): Promise<{ value: T; calls: number }> {
  const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((a) => {
    new Uint8Array(a!.buffer, a!.byteOffset, a!.byteLength).fill(0);
    return a;
  });
  try {
    const value = await f();
    return { value, calls: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

describe('Project Wycheproof ML-DSA sign vectors (seed files, deterministic signing)', () => {
  const { sets } = readVectors<{ sets: SignSet[] }>('wycheproof-mldsa-sign-seed-subset.json');
  afterEach(() => vi.restoreAllMocks());

  it('cover the three parameter sets', () => {
    expect(sets.map((s) => s.algorithm)).toEqual([...ALGS]);
  });

  for (const set of sets) {
    const alg = set.algorithm;
    const p = ML_DSA_PARAMETERS[alg]!;
    const a = JWS_ALGORITHMS[alg]!;
    for (const g of set.testGroups) {
      it(`${alg}: the seed imports as an AKP "priv" and as the file's PKCS#8, and gives the file's public key`, async () => {
        // jot derives the public key from the seed and refuses a "pub" that is not it
        const key = await importKey({ kty: 'AKP', alg, priv: b64u(hex(g.privateSeed)), pub: b64u(hex(g.publicKey)) });
        expect(Buffer.from((await exportJwk(key)).pub!, 'base64url')).toEqual(hex(g.publicKey));
        const wrong = hex(g.publicKey);
        wrong[0]! ^= 1;
        await expectJotError(
          () => importKey({ kty: 'AKP', alg, priv: b64u(hex(g.privateSeed)), pub: b64u(wrong) }),
          ['ERR_KEY_INVALID'],
        );
        const fromPkcs8 = await importKey(pemOf('PRIVATE KEY', hex(g.privateKeyPkcs8)));
        expect(fromPkcs8).toMatchObject({ alg, isPrivate: true });
        expect(await jwkThumbprint(fromPkcs8)).toBe(await jwkThumbprint(key));
        expect(Buffer.from(noble[alg].keygen(hex(g.privateSeed)).publicKey)).toEqual(hex(g.publicKey));
      });

      for (const t of g.tests) {
        const jose = t.ctx === undefined || t.ctx === '';
        it(`${alg} tcId ${t.tcId} (${t.comment}; ${t.flags.join(', ')}): ${t.result}${jose ? '' : ', not JOSE (a context)'}`, async () => {
          const seed = hex(g.privateSeed);
          const msg = hex(t.msg);
          const { secretKey } = noble[alg].keygen(seed);
          const ctx = t.ctx === undefined ? undefined : hex(t.ctx);
          const context = ctx === undefined ? {} : { context: ctx };
          if (t.result === 'invalid') {
            // InvalidContext: a context over 255 bytes. The reference refuses to sign; jot takes no context at all
            // (RFC 9964), so its signature of the same message is the empty-context one whatever a caller wants.
            expect(t.sig).toBe('');
            expect(ctx!.byteLength).toBeGreaterThan(255);
            expect(() => noble[alg].sign(msg, secretKey, { ...context, extraEntropy: false })).toThrow();
            const key = await importKey({ kty: 'AKP', alg, priv: b64u(seed), pub: b64u(hex(g.publicKey)) });
            const { value } = await withZeroRandomness(() => sigImpl.sign(a, keyHandle(key), msg));
            expect(Buffer.from(value)).toEqual(Buffer.from(noble[alg].sign(msg, secretKey, { extraEntropy: false })));
            return;
          }
          const sig = hex(t.sig);
          expect(sig.byteLength).toBe(p.sigBytes);
          // the reference, deterministic, and from the file's mu (external-mu interface)
          expect(Buffer.from(noble[alg].sign(msg, secretKey, { ...context, extraEntropy: false }))).toEqual(sig);
          if (t.mu !== undefined) {
            const fromMu = noble[alg].internal.sign(hex(t.mu), secretKey, { externalMu: true, extraEntropy: false });
            expect(Buffer.from(fromMu)).toEqual(sig);
          }
          const key = await importKey({ kty: 'AKP', alg, priv: b64u(seed), pub: b64u(hex(g.publicKey)) });
          if (!jose) {
            // signed under a context: a valid ML-DSA signature, never a JOSE one
            expect(noble[alg].verify(sig, msg, hex(g.publicKey), context)).toBe(true);
            expect(await backendVerifies(alg, key, msg, sig)).toBe(false);
            return;
          }
          expect(await backendVerifies(alg, key, msg, sig)).toBe(true);
          // jot's signing path (the backend every JWS signature goes through), its randomness set to zero
          const { value, calls } = await withZeroRandomness(() => sigImpl.sign(a, keyHandle(key), msg));
          if (!hasNativeMlDsa()) {
            expect(calls).toBeGreaterThan(0);
            expect(Buffer.from(value)).toEqual(sig);
          } else {
            // node:crypto's own ML-DSA draws its randomness inside OpenSSL: hedged, so only valid
            expect(noble[alg].verify(value, msg, hex(g.publicKey))).toBe(true);
          }
          // the pure-JS provider jot loads where the runtime has no ML-DSA, whatever this runtime has
          const pure = await loadPureJsMlDsa();
          const direct = await withZeroRandomness(async () => pure.sign(p, seed, hex(g.publicKey), msg));
          expect(Buffer.from(direct.value)).toEqual(sig);
        });
      }
    }
  }
});

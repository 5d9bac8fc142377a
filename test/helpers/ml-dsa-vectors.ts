// Shared by the ML-DSA vector runners (test/key/ml-dsa-vectors.test.ts, test/key/ml-dsa-wycheproof.test.ts).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { sig as sigImpl } from '#crypto/sig';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { expect } from 'vitest';
import { keyHandle } from '../../src/key/key.js';
import { JWS_ALGORITHMS, type JWK, type Key } from '../../src/index.js';
import { SYNC_CRYPTO } from './runtime.js';

export const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
export type Alg = (typeof ALGS)[number];
/** @noble/post-quantum used directly: the reference the vectors are checked against. */
export const noble = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
export const readVectors = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../vectors/mldsa/${name}`, import.meta.url), 'utf8')) as T;
export const hex = (s: string): Buffer => Buffer.from(s, 'hex');
export const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
export const pemOf = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;
export const publicJwk = (alg: Alg, pub: Uint8Array): JWK => ({ kty: 'AKP', alg, pub: b64u(pub) });

/** The backend's verdict, async and sync (both paths of jot's JWS verification). */
export async function backendVerifies(alg: Alg, key: Key, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const a = JWS_ALGORITHMS[alg]!;
  const async = await sigImpl.verify(a, keyHandle(key), msg, sig);
  if (SYNC_CRYPTO) expect(sigImpl.verifySync(a, keyHandle(key), msg, sig)).toBe(async);
  else expect(() => sigImpl.verifySync(a, keyHandle(key), msg, sig)).toThrow(/asynchronous/);
  return async;
}

import { type KeyObject, generateKeyPair as nodeGenerateKeyPair } from 'node:crypto';
import { bare } from '../../encoding/null-prototype.js';
import { err } from '../../errors.js';
import type { GenerateBackend, GeneratedPair } from '../backend.js';
import { describe } from './keys.js';

// Key generation with node:crypto (`#crypto/generate`, node): on the thread pool.

const EC_NODE: Readonly<Record<string, string>> = Object.freeze({
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  secp256k1: 'secp256k1',
});

function generate(type: string, options: Record<string, unknown>): Promise<GeneratedPair> {
  return new Promise((resolve, reject) => {
    nodeGenerateKeyPair(type as 'rsa', bare(options) as { modulusLength: number }, (e, publicKey, privateKey) => {
      if (e) reject(err('ERR_KEY_INVALID', 'key generation failed', e));
      else {
        resolve({
          privateKey: describe(privateKey as unknown as KeyObject),
          publicKey: describe(publicKey as unknown as KeyObject),
        });
      }
    });
  });
}

export const generator: GenerateBackend = Object.freeze({
  rsa(modulusLength: number): Promise<GeneratedPair> {
    return generate('rsa', { modulusLength, publicExponent: 0x10001 });
  },
  curve(crv: string): Promise<GeneratedPair> {
    const named = EC_NODE[crv];
    if (named !== undefined) return generate('ec', { namedCurve: named });
    if (crv === 'Ed25519' || crv === 'Ed448' || crv === 'X25519' || crv === 'X448') {
      return generate(crv.toLowerCase(), {});
    }
    return Promise.reject(err('ERR_INVALID_OPTION', `no key pair exists on curve ${crv}`));
  },
});

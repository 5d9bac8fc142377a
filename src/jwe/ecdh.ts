import { findEcdhCurve } from '../alg/jwe.js';
import { jwe as jweBackend } from '#crypto/jwe';
import { b64uDecode } from '../encoding/base64url.js';
import { isObject, own } from '../encoding/json.js';
import { concatAll } from '../encoding/bytes.js';
import { utf8Encode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { exportJwk } from '../key/export.js';
import { importKeySync } from '../key/import.js';
import type { JWK } from '../key/jwk.js';
import { type Key, keyHandle } from '../key/key.js';

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

const lengthPrefixed = (b: Uint8Array) => concatAll([u32(b.byteLength), b]);
const EMPTY = new Uint8Array(0);

/**
 * The Concat KDF of NIST SP 800-56A section 5.8.1 as profiled by RFC 7518 section 4.6.2: SHA-256, OtherInfo =
 * AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (key length in bits), each datum length-prefixed.
 */
export async function concatKdf(
  z: Uint8Array,
  keyBytes: number,
  algorithmId: string,
  party: { apu?: Uint8Array; apv?: Uint8Array },
): Promise<Uint8Array> {
  const otherInfo = concatAll([
    lengthPrefixed(utf8Encode(algorithmId)),
    lengthPrefixed(party.apu ?? EMPTY),
    lengthPrefixed(party.apv ?? EMPTY),
    u32(keyBytes * 8),
  ]);
  const rounds: Uint8Array[] = [];
  for (let i = 1; i <= Math.ceil(keyBytes / 32); i++) {
    rounds.push(await jweBackend.digest('sha256', concatAll([u32(i), z, otherInfo])));
  }
  return concatAll(rounds).subarray(0, keyBytes);
}

function bigEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (const byte of b) v = (v << 8n) | BigInt(byte);
  return v;
}

function coordinate(epk: object, name: string, bytes: number, prime: bigint | undefined): string {
  const s = own(epk, name);
  if (typeof s !== 'string') throw err('ERR_JWE_INVALID', `"epk" member "${name}" must be a string`);
  const v = b64uDecode(s, 'ERR_JWE_INVALID', `"epk" member "${name}"`);
  if (v.byteLength !== bytes) throw err('ERR_JWE_INVALID', '"epk" has a coordinate of the wrong length');
  if (prime !== undefined && bigEndian(v) >= prime) throw err('ERR_JWE_INVALID', '"epk" is not a point on its curve');
  return s;
}

/**
 * The sender's ephemeral public key (`epk`), validated against the recipient key before any agreement:
 * same `kty` and `crv` (invalid-curve attacks), exact coordinate lengths, coordinates below the field prime,
 * no private part, and a point on the curve (node's import refuses points off it). `ERR_JWE_INVALID`.
 */
export function ephemeralPublicKey(epk: unknown, recipient: Key): Key {
  if (!isObject(epk)) throw err('ERR_JWE_INVALID', '"epk" must be a JWK object');
  const kty = own(epk, 'kty');
  const crv = own(epk, 'crv');
  if (kty !== recipient.kty || crv !== recipient.crv) {
    throw err('ERR_JWE_INVALID', '"epk" must be on the curve of the recipient key');
  }
  const curve = findEcdhCurve(crv);
  if (curve === undefined || curve.kty !== kty) throw err('ERR_JWE_INVALID', '"epk" is on an unsupported curve');
  if (own(epk, 'd') !== undefined) throw err('ERR_JWE_INVALID', '"epk" must be a public key');
  const jwk: JWK = { kty: curve.kty, crv: curve.crv, x: coordinate(epk, 'x', curve.bytes, curve.prime) };
  if (curve.kty === 'EC') jwk.y = coordinate(epk, 'y', curve.bytes, curve.prime);
  else if (own(epk, 'y') !== undefined) throw err('ERR_JWE_INVALID', '"epk" of an OKP key has no "y"');
  try {
    return importKeySync(jwk);
  } catch (cause) {
    throw err('ERR_JWE_INVALID', '"epk" is not a valid public key', cause);
  }
}

/** Sender side: a fresh ephemeral key on the recipient's curve, the shared secret Z, and the `epk` to publish. */
export async function ephemeralAgreement(recipient: Key, fixedEphemeral?: Key): Promise<{ z: Uint8Array; epk: JWK }> {
  const b = jweBackend;
  const crv = recipient.crv!;
  if (fixedEphemeral !== undefined) {
    const z = await b.ecdh(crv, keyHandle(fixedEphemeral), keyHandle(recipient));
    if (z === undefined) throw err('ERR_KEY_INVALID', 'key agreement with the recipient key failed');
    const pub = await exportJwk(fixedEphemeral);
    const epk: JWK = { kty: pub.kty, crv: pub.crv!, x: pub.x! };
    if (pub.y !== undefined) epk.y = pub.y;
    return { z, epk };
  }
  const eph = await b.generateEphemeralKey(crv);
  const z = await b.ecdh(crv, eph.handle, keyHandle(recipient));
  if (z === undefined) throw err('ERR_KEY_INVALID', 'key agreement with the recipient key failed');
  const epk: JWK = { kty: recipient.kty, crv, x: eph.x };
  if (eph.y !== undefined) epk.y = eph.y;
  return { z, epk };
}

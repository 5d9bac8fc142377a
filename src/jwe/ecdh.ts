import { findEcdhCurve } from '../alg/jwe.js';
import { jwe as jweBackend } from '#crypto/jwe';
import type { JwkMembers } from '../crypto/backend.js';
import { digestsSync, type JweCryptoBackend } from '../crypto/jwe-backend.js';
import { b64uDecode } from '../encoding/base64url.js';
import { isObject, own } from '../encoding/json.js';
import { utf8Encode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { exportJwk } from '../key/export.js';
import { bigEndian, pointOnCurve } from '../key/ec-point.js';
import type { JWK } from '../key/jwk.js';
import { type Key, type KeyHandle, keyHandle } from '../key/key.js';

const EMPTY = new Uint8Array(0);

/**
 * The Concat KDF of NIST SP 800-56A section 5.8.1 as profiled by RFC 7518 section 4.6.2: SHA-256 over round counter ||
 * Z || OtherInfo, OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (key length in bits), each datum
 * length-prefixed. One buffer holds the whole input; on a backend that hashes synchronously (node) no promise is made.
 */
export function concatKdf(
  z: Uint8Array,
  keyBytes: number,
  algorithmId: string,
  party: { apu?: Uint8Array; apv?: Uint8Array },
): Uint8Array | Promise<Uint8Array> {
  const id = utf8Encode(algorithmId);
  const apu = party.apu ?? EMPTY;
  const apv = party.apv ?? EMPTY;
  const input = new Uint8Array(4 + z.byteLength + 12 + id.byteLength + apu.byteLength + apv.byteLength + 4);
  const view = new DataView(input.buffer);
  let at = 4;
  input.set(z, at);
  at += z.byteLength;
  for (const datum of [id, apu, apv]) {
    view.setUint32(at, datum.byteLength, false);
    input.set(datum, at + 4);
    at += 4 + datum.byteLength;
  }
  view.setUint32(at, keyBytes * 8, false);
  const rounds = Math.ceil(keyBytes / 32);
  const b: JweCryptoBackend = jweBackend; // node's type has digestSync; the web one has not
  if (digestsSync(b)) {
    view.setUint32(0, 1, false);
    const first = b.digestSync('sha256', input);
    if (rounds === 1) return keyBytes === first.byteLength ? first : first.subarray(0, keyBytes);
    const out = new Uint8Array(rounds * 32);
    out.set(first, 0);
    for (let i = 2; i <= rounds; i++) {
      view.setUint32(0, i, false);
      out.set(b.digestSync('sha256', input), (i - 1) * 32);
    }
    return out.subarray(0, keyBytes);
  }
  return (async () => {
    const out = new Uint8Array(rounds * 32);
    for (let i = 1; i <= rounds; i++) {
      view.setUint32(0, i, false);
      out.set(await b.digest('sha256', input), (i - 1) * 32); // the digest reads its input before it returns
    }
    return out.subarray(0, keyBytes);
  })();
}

/** A coordinate of `epk`: a string, strict base64url, exactly `bytes` long. */
function coordinate(epk: object, name: string, bytes: number): { text: string; value: Uint8Array } {
  const text = own(epk, name);
  if (typeof text !== 'string') throw err('ERR_JWE_INVALID', `"epk" member "${name}" must be a string`);
  const value = b64uDecode(text, 'ERR_JWE_INVALID', `"epk" member "${name}"`);
  if (value.byteLength !== bytes) throw err('ERR_JWE_INVALID', '"epk" has a coordinate of the wrong length');
  return { text, value };
}

/**
 * The sender's ephemeral public key (`epk`), validated against the recipient key before any agreement:
 * same `kty` and `crv` (invalid-curve attacks), exact coordinate lengths, no private part, and for EC curves both
 * coordinates below the field prime and the point on the curve (checked here, then again by node's import).
 * `ERR_JWE_INVALID`. The result is a key handle for the agreement only (no `Key`: it never serves anything else); an
 * all-zero X25519/X448 secret (a small-order point) is refused by the agreement itself.
 */
export function ephemeralPublicKey(epk: unknown, recipient: Key): KeyHandle {
  if (!isObject(epk)) throw err('ERR_JWE_INVALID', '"epk" must be a JWK object');
  const kty = own(epk, 'kty');
  const crv = own(epk, 'crv');
  if (kty !== recipient.kty || crv !== recipient.crv) {
    throw err('ERR_JWE_INVALID', '"epk" must be on the curve of the recipient key');
  }
  const curve = findEcdhCurve(crv);
  if (curve === undefined || curve.kty !== kty) throw err('ERR_JWE_INVALID', '"epk" is on an unsupported curve');
  if (own(epk, 'd') !== undefined) throw err('ERR_JWE_INVALID', '"epk" must be a public key');
  const x = coordinate(epk, 'x', curve.bytes);
  const jwk: JwkMembers = { kty: curve.kty, crv: curve.crv, x: x.text };
  if (curve.kty === 'EC') {
    const y = coordinate(epk, 'y', curve.bytes);
    // A curve the point table lacks is refused too (undefined), never waved through.
    if (pointOnCurve(curve.crv, bigEndian(x.value), bigEndian(y.value)) !== true) {
      throw err('ERR_JWE_INVALID', '"epk" is not a point on its curve');
    }
    jwk.y = y.text;
  } else if (own(epk, 'y') !== undefined) throw err('ERR_JWE_INVALID', '"epk" of an OKP key has no "y"');
  try {
    return jweBackend.ecdhPublicKey(jwk);
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

import { hexFromBytes } from '#crypto/bytes';

/**
 * Is (x, y) a point of the short Weierstrass curve y^2 = x^3 + ax + b over F_p? Pure arithmetic, shared by both crypto
 * implementations, so an EC public key off its curve (invalid-curve attacks) is refused at import the same way
 * whatever the runtime: node:crypto refuses such a key itself, WebCrypto only when the key is first used.
 */
interface Curve {
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
}

const P256 = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const P384 = 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n;
const P521 = 2n ** 521n - 1n;
const K256 = 2n ** 256n - 2n ** 32n - 977n;

const CURVES: Readonly<Record<string, Curve>> = Object.freeze({
  'P-256': { p: P256, a: P256 - 3n, b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn },
  'P-384': {
    p: P384,
    a: P384 - 3n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
  'P-521': {
    p: P521,
    a: P521 - 3n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  },
  secp256k1: { p: K256, a: 0n, b: 7n },
});

/** A big-endian unsigned integer (a hex round trip: far cheaper than a BigInt operation per byte). @internal */
export function bigEndian(b: Uint8Array): bigint {
  return b.byteLength === 0 ? 0n : BigInt(`0x${hexFromBytes(b)}`);
}

/**
 * Is (x, y) a point of curve `crv` with both coordinates below the field prime? Undefined for a curve the table lacks.
 * @internal
 */
export function pointOnCurve(crv: string, x: bigint, y: bigint): boolean | undefined {
  const c = CURVES[crv];
  if (c === undefined) return undefined;
  if (x >= c.p || y >= c.p) return false;
  return (y * y - (x * x * x + c.a * x + c.b)) % c.p === 0n;
}

/** True when the curve is not one of the table's (nothing to say) or the point is on it. */
export function isOnCurve(crv: string, xBytes: Uint8Array, yBytes: Uint8Array): boolean {
  return pointOnCurve(crv, bigEndian(xBytes), bigEndian(yBytes)) ?? true;
}

import { own } from '../encoding/json.js';
import { type ClaimReason, err } from '../errors.js';
import type { JoseHeader } from '../jws/header.js';
import type { Key } from '../key/key.js';

// The JWT layer's header rules, on both sides: the header a JWT is made with (alg and kid defaulting to the key's,
// typ to "JWT"), and what a JWT header may say (no unencoded payload, no nested JWT, the typ check). Media types are
// normalised here, below both the header and the claim checks.

const ASCII_UPPER = /[A-Z]+/g;

/**
 * Media-type normalisation for `typ`/`cty` (RFC 7515 section 4.1.9): ASCII case-insensitive, and `application/`
 * dropped when no other `/` follows. Only ASCII letters are folded, so no Unicode case mapping can make two
 * different strings equal.
 *
 * @example
 * ```ts
 * import { normalizeMediaType } from 'jotjs';
 * normalizeMediaType('application/AT+JWT'); // 'at+jwt'
 * ```
 */
export function normalizeMediaType(value: string): string {
  if (typeof value !== 'string') throw err('ERR_INVALID_OPTION', 'a media type must be a string');
  const lower = value.replace(ASCII_UPPER, (m) => m.toLowerCase());
  return lower.startsWith('application/') && lower.indexOf('/', 12) === -1 ? lower.slice(12) : lower;
}

/** Does the header say the content is itself a JWT (`cty: "JWT"`, RFC 7519 section 5.2)? @internal */
export function isNestedJwt(header: object): boolean {
  const cty = own(header, 'cty');
  return typeof cty === 'string' && normalizeMediaType(cty) === 'jwt';
}

/**
 * The `cty` of a JWT this layer reads: absent, or a string that is not `JWT`. A nested token is never taken as the
 * claims of the outer one: each layer is verified explicitly. Throws `ERR_JWT_INVALID`. @internal
 */
export function refuseNestedJwt(header: object): void {
  const cty = own(header, 'cty');
  if (cty === undefined) return;
  if (typeof cty !== 'string') throw err('ERR_JWT_INVALID', '"cty" must be a string');
  if (normalizeMediaType(cty) === 'jwt') {
    throw err(
      'ERR_JWT_INVALID',
      'nested JWT (cty: JWT): verify each layer explicitly (decryptAndVerifyJwt, or verifyCompact then verifyJwt)',
    );
  }
}

/** A JWT's payload is always base64url: `b64` absent or true. Throws `ERR_JWT_INVALID`. @internal */
export function refuseUnencodedPayload(header: object): void {
  const b64 = own(header, 'b64');
  if (b64 !== undefined && b64 !== true) throw err('ERR_JWT_INVALID', 'a JWT never has an unencoded payload (b64)');
}

/** The `typ` check: undefined when it passes, else the reason. Pure function of the header. @internal */
export function typReason(header: object | undefined, typs: ReadonlySet<string> | undefined): ClaimReason | undefined {
  if (typs === undefined) return undefined;
  const typ = header === undefined ? undefined : own(header, 'typ');
  if (typ === undefined) return 'missing';
  if (typeof typ !== 'string') return 'invalid';
  return typs.has(normalizeMediaType(typ)) ? undefined : 'mismatch';
}

/** Header parameters the `header` option may not set: the algorithm comes from `alg`, and JWTs are JWS. */
const FORBIDDEN_HEADER = ['alg', 'enc', 'b64', 'zip'];

/** The protected header from `alg`, `typ`, `kid` and `header` options, as a null-prototype object. @internal */
export function jwtHeader(o: Record<string, unknown>, alg: string | undefined): JoseHeader {
  const h = Object.create(null) as JoseHeader;
  if (alg !== undefined) h.alg = alg;
  const extra = o.header;
  if (extra !== undefined) {
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
      throw err('ERR_INVALID_OPTION', 'header must be an object');
    }
    for (const name of Object.keys(extra)) {
      if (FORBIDDEN_HEADER.includes(name)) throw err('ERR_INVALID_OPTION', `header may not set "${name}"`);
      const v = (extra as Record<string, unknown>)[name];
      if (v !== undefined) h[name] = v;
    }
  }
  for (const name of ['typ', 'kid'] as const) {
    const v = o[name];
    if (v === undefined || v === false) continue;
    if (typeof v !== 'string' || v.length === 0) throw err('ERR_INVALID_OPTION', `${name} must be a non-empty string`);
    if (Object.hasOwn(h, name)) throw err('ERR_INVALID_OPTION', `"${name}" is set both in header and as an option`);
    h[name] = v;
  }
  if (o.typ === undefined && !Object.hasOwn(h, 'typ')) h.typ = 'JWT';
  try {
    JSON.stringify(h);
  } catch (cause) {
    throw err('ERR_INVALID_OPTION', 'header cannot be serialized as JSON', cause);
  }
  return h;
}

/**
 * The header of a JWT made with `key`: `alg` from the options or the key's binding, `kid` from the options, the
 * `header` option or the key, then {@link jwtHeader}. Throws `ERR_INVALID_OPTION`. @internal
 */
export function keyHeader(o: Record<string, unknown>, key: Key): JoseHeader {
  if (o.alg !== undefined && typeof o.alg !== 'string') throw err('ERR_INVALID_OPTION', 'alg must be a string');
  const alg = (o.alg as string | undefined) ?? key.alg;
  if (alg === undefined) throw err('ERR_INVALID_OPTION', 'pass options.alg, or a key bound to one algorithm');
  let withKid = o;
  if (o.kid === undefined && key.kid !== undefined && !Object.hasOwn((o.header as object | undefined) ?? {}, 'kid')) {
    withKid = Object.assign(Object.create(null) as Record<string, unknown>, o, { kid: key.kid });
  }
  return jwtHeader(withKid, alg);
}

import { b64uDecode } from '../encoding/base64url.js';
import { own, parseJsonObjectUtf8 } from '../encoding/json.js';
import { err } from '../errors.js';

/** A JOSE header as parsed from a token. */
export type JoseHeader = Record<string, unknown> & { alg?: string; kid?: string; typ?: string; cty?: string };

/**
 * Header parameters defined by JWS, JWE and JWA: never valid as `crit` extensions (RFC 7515 section 4.1.11).
 * `b64` (RFC 7797) is left out: a JWS lists it in `crit`. @internal
 */
export const REGISTERED_HEADER_PARAMETERS: ReadonlySet<string> = new Set([
  'alg',
  'jku',
  'jwk',
  'kid',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'typ',
  'cty',
  'crit',
  'enc',
  'zip',
  'epk',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'p2c',
]);

/** Members that only count when integrity protected. */
const PROTECTED_ONLY = ['alg', 'enc', 'zip', 'crit', 'b64', 'p2c', 'p2s'] as const;

/** Decode and parse a protected header segment: strict base64url, fatal UTF-8, strict JSON object. */
export function parseProtectedHeader(
  segment: string,
  code: 'ERR_JWS_INVALID' | 'ERR_JWT_INVALID' = 'ERR_JWS_INVALID',
): JoseHeader {
  if (segment.length === 0) throw err(code, 'the protected header is empty');
  return parseJsonObjectUtf8(b64uDecode(segment, code, 'protected header'), code, 'protected header');
}

/**
 * Validate `crit` (RFC 7515 section 4.1.11) and `b64` (RFC 7797) of a protected header.
 * `understood`: extension names the caller declared (own, true-valued members of `options.crit`).
 * Returns whether the payload is base64url-encoded. Duplicated `crit` names are rejected.
 */
export function checkCrit(protectedHeader: JoseHeader, understood: ReadonlySet<string>, b64Allowed: boolean): boolean {
  const crit = own(protectedHeader, 'crit');
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0) throw err('ERR_JWS_INVALID', '"crit" must be a non-empty array');
    const seen = new Set<string>();
    for (const name of crit) {
      if (typeof name !== 'string' || name.length === 0 || seen.has(name)) {
        throw err('ERR_JWS_INVALID', '"crit" must list distinct names');
      }
      seen.add(name);
      if (REGISTERED_HEADER_PARAMETERS.has(name))
        throw err('ERR_JWS_INVALID', '"crit" may not list a registered header parameter');
      if (!Object.hasOwn(protectedHeader, name)) throw err('ERR_JWS_INVALID', `"crit" names an absent parameter`);
      if (name !== 'b64' && !understood.has(name))
        throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported critical extension');
    }
  }
  const b64 = own(protectedHeader, 'b64');
  if (b64 === undefined) return true;
  if (typeof b64 !== 'boolean') throw err('ERR_JWS_INVALID', '"b64" must be a boolean');
  if (!Array.isArray(crit) || !crit.includes('b64')) throw err('ERR_JWS_INVALID', '"b64" must be listed in "crit"');
  if (!b64 && !b64Allowed) throw err('ERR_JWS_INVALID', 'unencoded payloads need options.crit { b64: true }');
  return b64;
}

/** Unprotected headers: an object whose names are disjoint from the protected ones and hold no protected-only member. */
export function checkUnprotected(
  header: unknown,
  protectedHeader: JoseHeader | undefined,
  code: 'ERR_JWS_INVALID' | 'ERR_JWE_INVALID',
): Record<string, unknown> | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw err(code, 'an unprotected header must be an object');
  for (const name of PROTECTED_ONLY) {
    if (Object.hasOwn(header, name)) throw err(code, `"${name}" must be integrity protected`);
  }
  if (protectedHeader !== undefined) {
    for (const name of Object.keys(header)) {
      if (Object.hasOwn(protectedHeader, name))
        throw err(code, 'protected and unprotected header names must be disjoint');
    }
  }
  return header as Record<string, unknown>;
}

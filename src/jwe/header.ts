import { b64uDecode } from '../encoding/base64url.js';
import { isObject, own, parseJsonObjectUtf8 } from '../encoding/json.js';
import { err } from '../errors.js';
import { REGISTERED_HEADER_PARAMETERS } from '../jws/header.js';
import type { JweHeader } from './types.js';

/** Header parameters defined by JWS, JWE and JWA: never valid as `crit` extensions (RFC 7516 section 4.1.13). */
const REGISTERED: ReadonlySet<string> = new Set([...REGISTERED_HEADER_PARAMETERS, 'b64']);

/**
 * Members that count only when integrity protected. `alg` and the key management parameters may be
 * per-recipient (RFC 7516 section 7.2.1); `enc` and `zip` apply to the shared ciphertext and `crit` must be
 * protected (section 4.1.13).
 */
const PROTECTED_ONLY = ['enc', 'zip', 'crit'] as const;

/** Decode and parse the protected header: non-empty, strict base64url, fatal UTF-8, strict JSON object. */
export function parseProtectedHeader(segment: unknown): JweHeader {
  if (typeof segment !== 'string' || segment.length === 0) {
    throw err('ERR_JWE_INVALID', 'the protected header is missing or empty');
  }
  const bytes = b64uDecode(segment, 'ERR_JWE_INVALID', 'protected header');
  return parseJsonObjectUtf8(bytes, 'ERR_JWE_INVALID', 'protected header');
}

/** An own-property copy of a header object (a `__proto__` member stays an ordinary member). */
export function copyHeader(h: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(h));
}

/** An optional unprotected header: a JSON object holding none of the protected-only members. */
export function unprotectedHeader(h: unknown, what: string): Record<string, unknown> | undefined {
  if (h === undefined) return undefined;
  if (!isObject(h)) throw err('ERR_JWE_INVALID', `${what} must be an object`);
  for (const name of PROTECTED_ONLY) {
    if (Object.hasOwn(h, name)) throw err('ERR_JWE_INVALID', `"${name}" must be in the protected header`);
  }
  return copyHeader(h);
}

/** Header names must be disjoint across the protected, shared unprotected and per-recipient headers. */
export function assertDisjoint(...headers: (Record<string, unknown> | undefined)[]): void {
  // One header (always, in the compact form) is disjoint from nothing: no set to build.
  let present = 0;
  for (const h of headers) if (h !== undefined) present++;
  if (present < 2) return;
  const seen = new Set<string>();
  for (const h of headers) {
    if (h === undefined) continue;
    for (const name of Object.keys(h)) {
      if (seen.has(name)) throw err('ERR_JWE_INVALID', 'header parameter names must be disjoint across headers');
      seen.add(name);
    }
  }
}

/** The JOSE header of one recipient: the union of its (disjoint) headers. */
export function mergeHeaders(...headers: (Record<string, unknown> | undefined)[]): JweHeader {
  return Object.fromEntries(headers.flatMap((h) => (h === undefined ? [] : Object.entries(h)))) as JweHeader;
}

/**
 * `crit` (RFC 7516 section 4.1.13): a non-empty array of distinct, unregistered names present in the protected
 * header. A name the caller did not declare in `understood` is `ERR_JOSE_NOT_SUPPORTED`; malformed is
 * `ERR_JWE_INVALID`. Duplicates are rejected.
 */
export function checkCrit(protectedHeader: JweHeader, understood: ReadonlySet<string> | undefined): void {
  const crit = own(protectedHeader, 'crit');
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0) throw err('ERR_JWE_INVALID', '"crit" must be a non-empty array');
  const seen = new Set<string>();
  for (const name of crit) {
    if (typeof name !== 'string' || name.length === 0 || seen.has(name)) {
      throw err('ERR_JWE_INVALID', '"crit" must list distinct names');
    }
    seen.add(name);
    if (REGISTERED.has(name)) throw err('ERR_JWE_INVALID', '"crit" may not list a registered header parameter');
    if (!Object.hasOwn(protectedHeader, name)) throw err('ERR_JWE_INVALID', '"crit" names an absent parameter');
    if (understood !== undefined && !understood.has(name)) {
      throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported critical extension');
    }
  }
}

/** An optional base64url string member of a header, decoded. */
export function b64uMember(header: JweHeader, name: string): Uint8Array | undefined {
  const v = own(header, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw err('ERR_JWE_INVALID', `"${name}" must be a base64url string`);
  return b64uDecode(v, 'ERR_JWE_INVALID', `"${name}"`);
}

/** ECDH-ES `apu` and `apv`, decoded (optional base64url strings), added to `into`. */
export function partyInfo<T extends object>(header: JweHeader, into: T): T & { apu?: Uint8Array; apv?: Uint8Array } {
  const out: T & { apu?: Uint8Array; apv?: Uint8Array } = into;
  const apu = b64uMember(header, 'apu');
  const apv = b64uMember(header, 'apv');
  if (apu !== undefined) out.apu = apu;
  if (apv !== undefined) out.apv = apv;
  return out;
}

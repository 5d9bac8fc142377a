import { b64uDecode } from '../encoding/base64url.js';
import { DEFAULT_JSON_LIMITS, parseJsonObject } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { DEFAULT_MAX_JWE_LENGTH } from '../jwe/policy.js';
import { DEFAULT_MAX_JWS_LENGTH } from '../jws/policy.js';
import { type HeaderReader, readCompact } from '../jws/reader.js';
import { callerError } from '../options.js';

/** Header segments decoded lately, with their checked JSON text: tokens from one issuer share a header. */
const headerTexts = new Map<string, string>();
const HEADER_MEMO_SIZE = 64;
const HEADER_MEMO_SEGMENT = 512;

/**
 * The header object of a segment: strictly decoded and checked once, then parsed afresh from the remembered text
 * on every later call (a new object each time, so no caller sees another's changes).
 */
const headerOf: HeaderReader<Record<string, unknown>> = (token, end) => {
  const segment = token.slice(0, end);
  const known = headerTexts.get(segment);
  if (known !== undefined) return JSON.parse(known) as Record<string, unknown>;
  const bytes = b64uDecode(segment, 'ERR_JWT_INVALID', 'header');
  const text = utf8Decode(bytes, 'ERR_JWT_INVALID', 'header');
  const header = parseJsonObject(text, 'ERR_JWT_INVALID', 'header', DEFAULT_JSON_LIMITS, bytes);
  if (segment.length <= HEADER_MEMO_SEGMENT) {
    if (headerTexts.size >= HEADER_MEMO_SIZE) headerTexts.delete(headerTexts.keys().next().value as string);
    headerTexts.set(segment, text);
  }
  return header;
};

/** What {@link decodeUnverified} shows of a token: a JWS's header and claims, or a JWE's protected header. */
export type DecodedToken =
  | { readonly encrypted: false; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { readonly encrypted: true; header: Record<string, unknown>; payload: undefined };

/**
 * Decode a compact JWT **without verifying it**: for display and debugging only, never for a trust decision.
 * A signed token (three segments) gives its header and claims; an encrypted one (five segments, a JWE) gives its
 * protected header with `encrypted: true` and no payload, since its content cannot be read without the key.
 * Strict parsing still applies (base64url, UTF-8, JSON objects, size: 64 KiB for a JWS, 256 KiB for a JWE).
 * Throws `ERR_JWT_INVALID` or `ERR_LIMIT_EXCEEDED`.
 *
 * @example
 * ```ts
 * import { decodeUnverified } from 'jotjs';
 * const { header, payload } = decodeUnverified(token); // payload is undefined when header.enc says JWE
 * ```
 */
export function decodeUnverified(token: string): DecodedToken {
  try {
    return decode(token);
  } catch (e) {
    throw callerError(e);
  }
}

function decode(token: string): DecodedToken {
  if (typeof token !== 'string') throw err('ERR_JWT_INVALID', 'token must be a string');
  if (token.length > DEFAULT_MAX_JWE_LENGTH) throw err('ERR_LIMIT_EXCEEDED', 'token is too long');
  let dots = 0;
  for (let i = token.indexOf('.'); i !== -1 && dots < 5; i = token.indexOf('.', i + 1)) dots++;
  if (dots === 2) {
    const {
      token: t,
      head: header,
      dot1,
      dot2,
    } = readCompact(token, DEFAULT_MAX_JWS_LENGTH, headerOf, 'ERR_JWT_INVALID', 'ERR_JWT_INVALID');
    const bytes = b64uDecode(t.slice(dot1 + 1, dot2), 'ERR_JWT_INVALID', 'payload');
    const text = utf8Decode(bytes, 'ERR_JWT_INVALID', 'payload');
    const payload = parseJsonObject(text, 'ERR_JWT_INVALID', 'claims', DEFAULT_JSON_LIMITS, bytes);
    return { encrypted: false, header, payload };
  }
  if (dots !== 4) throw err('ERR_JWT_INVALID', 'a compact token has three segments (JWS) or five (JWE)');
  const header = headerOf(token, token.indexOf('.'));
  if (typeof header.enc !== 'string') {
    throw err('ERR_JWT_INVALID', 'a five-segment token is a JWE: its header needs "enc"');
  }
  return { encrypted: true, header, payload: undefined };
}

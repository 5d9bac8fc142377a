import { b64uDecode } from '../encoding/base64url.js';
import { DEFAULT_JSON_LIMITS, parseJsonObject } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { DEFAULT_MAX_TOKEN_LENGTH } from '../jws/policy.js';
import { callerError } from '../options.js';

/** Header segments decoded lately, with their checked JSON text: tokens from one issuer share a header. */
const headerTexts = new Map<string, string>();
const HEADER_MEMO_SIZE = 64;
const HEADER_MEMO_SEGMENT = 512;

/**
 * The header object of a segment: strictly decoded and checked once, then parsed afresh from the remembered text
 * on every later call (a new object each time, so no caller sees another's changes).
 */
function headerOf(segment: string): Record<string, unknown> {
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
}

/**
 * Decode a compact JWS/JWT **without verifying it**: for display and debugging only, never for a
 * trust decision. Strict parsing still applies (base64url, UTF-8, JSON objects, size).
 * Throws `ERR_JWT_INVALID`.
 */
export function decodeUnverified(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  try {
    if (typeof token !== 'string') throw err('ERR_JWT_INVALID', 'token must be a string');
    if (token.length > DEFAULT_MAX_TOKEN_LENGTH) throw err('ERR_LIMIT_EXCEEDED', 'token is too long');
    const a = token.indexOf('.');
    const b = a < 0 ? -1 : token.indexOf('.', a + 1);
    if (a < 0 || b < 0 || token.indexOf('.', b + 1) !== -1) {
      throw err('ERR_JWT_INVALID', 'a compact JWT has exactly three segments');
    }
    const header = headerOf(token.slice(0, a));
    const bytes = b64uDecode(token.slice(a + 1, b), 'ERR_JWT_INVALID', 'payload');
    const text = utf8Decode(bytes, 'ERR_JWT_INVALID', 'payload');
    const payload = parseJsonObject(text, 'ERR_JWT_INVALID', 'claims', DEFAULT_JSON_LIMITS, bytes);
    return { header, payload };
  } catch (e) {
    throw callerError(e);
  }
}

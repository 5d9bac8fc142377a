import { b64uDecode } from '../encoding/base64url.js';
import { DEFAULT_JSON_LIMITS, parseJsonObject, parseJsonObjectUtf8 } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err } from '../errors.js';

/** Default maximum length of a compact token, in characters. */
export const DEFAULT_MAX_TOKEN_LENGTH = 65_536;

/**
 * Decode a compact JWS/JWT **without verifying it**: for display and debugging only, never for a
 * trust decision. Strict parsing still applies (base64url, UTF-8, JSON objects, size).
 * Throws `ERR_JWT_INVALID`.
 */
export function decodeUnverified(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  if (typeof token !== 'string') throw err('ERR_JWT_INVALID', 'token must be a string');
  if (token.length > DEFAULT_MAX_TOKEN_LENGTH) throw err('ERR_LIMIT_EXCEEDED', 'token is too long');
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (a < 0 || b < 0 || token.indexOf('.', b + 1) !== -1) {
    throw err('ERR_JWT_INVALID', 'a compact JWT has exactly three segments');
  }
  const header = parseJsonObjectUtf8(
    b64uDecode(token.slice(0, a), 'ERR_JWT_INVALID', 'header'),
    'ERR_JWT_INVALID',
    'header',
  );
  const bytes = b64uDecode(token.slice(a + 1, b), 'ERR_JWT_INVALID', 'payload');
  const text = utf8Decode(bytes, 'ERR_JWT_INVALID', 'payload');
  const payload = parseJsonObject(text, 'ERR_JWT_INVALID', 'claims', DEFAULT_JSON_LIMITS, bytes);
  return { header, payload };
}

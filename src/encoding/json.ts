import { type JotErrorCode, err } from '../errors.js';
import { utf8Decode } from './utf8.js';

/** Limits applied to every JSON text jot parses from untrusted input. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. Default 32. */
  maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({ maxDepth: 32 });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const LOWER_U = 0x75;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * A scan's result: `names * 2 + nested` (nested: 1 when a container holds another), or one of these failures.
 */
const LONE_SURROGATE = -1;
const TOO_DEEP = -2;

/** Code unit `i` of text, or byte `i` of its UTF-8 form (the same for every ASCII character). */
const unitAt = (src: string | Uint8Array, i: number): number =>
  typeof src === 'string' ? src.charCodeAt(i) : (src[i] ?? Number.NaN);

/** The code unit of a `\uXXXX` escape whose hex digits start at `at` (JSON.parse has checked they are hex). */
function hex4(src: string | Uint8Array, at: number): number {
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const c = unitAt(src, k);
    v = v * 16 + (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);
  }
  return v;
}

/** Length of the `\u` escape at `at`: 6, 12 for an escaped surrogate pair, or LONE_SURROGATE. Rare: off the hot loop. */
function unicodeEscape(src: string | Uint8Array, at: number): number {
  const cu = hex4(src, at + 2);
  if (cu < 0xd800 || cu > 0xdfff) return 6;
  if (cu > 0xdbff || unitAt(src, at + 6) !== BACKSLASH || unitAt(src, at + 7) !== LOWER_U) return LONE_SURROGATE;
  const lo = hex4(src, at + 8);
  return lo < 0xdc00 || lo > 0xdfff ? LONE_SURROGATE : 12;
}

/**
 * Second pass over text that JSON.parse accepted: counts member names (strings followed by a colon), refuses lone
 * surrogates (escaped or raw) and nesting deeper than `maxDepth`. Returns the count and whether anything is nested
 * (see LONE_SURROGATE), or a failure.
 * Iterative, O(n), no allocation: duplicates are found by comparing the count with the members JSON.parse kept.
 */
function scanText(text: string, maxDepth: number): number {
  let depth = 0;
  let names = 0;
  let nested = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      for (let d = text.charCodeAt(j); d !== QUOTE; d = text.charCodeAt(j)) {
        if (d === BACKSLASH) {
          if (text.charCodeAt(j + 1) !== LOWER_U) j += 2;
          else {
            const len = unicodeEscape(text, j);
            if (len === LONE_SURROGATE) return LONE_SURROGATE;
            j += len;
          }
        } else if (d >= 0xd800 && d <= 0xdfff) {
          // A raw surrogate must be a well-formed pair.
          const e = text.charCodeAt(j + 1);
          if (d > 0xdbff || e < 0xdc00 || e > 0xdfff) return LONE_SURROGATE;
          j += 2;
        } else j++;
      }
      let e = text.charCodeAt(++j);
      while (e === SPACE || e === LF || e === CR || e === TAB) e = text.charCodeAt(++j);
      if (e === COLON) names++;
      i = j - 1;
    } else if (c === LBRACE || c === LBRACKET) {
      if (++depth > maxDepth) return TOO_DEEP;
      if (depth > 1) nested = 1;
    } else if (c === RBRACE || c === RBRACKET) depth--;
  }
  return names * 2 + nested;
}

/**
 * {@link scanText} over the UTF-8 bytes of the text, which is faster than reading the string. Valid UTF-8 (the
 * caller decoded it fatally) holds no surrogate, and no byte of a multi-byte sequence is ASCII, so only escapes
 * can be lone surrogates and every quote, backslash and bracket is structural or inside a string as in the text.
 */
function scanUtf8(bytes: Uint8Array, maxDepth: number): number {
  let depth = 0;
  let names = 0;
  let nested = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      let j = i + 1;
      for (let d = bytes[j]; d !== QUOTE; d = bytes[j]) {
        if (d !== BACKSLASH) j++;
        else if (bytes[j + 1] !== LOWER_U) j += 2;
        else {
          const len = unicodeEscape(bytes, j);
          if (len === LONE_SURROGATE) return LONE_SURROGATE;
          j += len;
        }
      }
      let e = bytes[++j];
      while (e === SPACE || e === LF || e === CR || e === TAB) e = bytes[++j];
      if (e === COLON) names++;
      i = j - 1;
    } else if (c === LBRACE || c === LBRACKET) {
      if (++depth > maxDepth) return TOO_DEEP;
      if (depth > 1) nested = 1;
    } else if (c === RBRACE || c === RBRACKET) depth--;
  }
  return names * 2 + nested;
}

/** Own members of every object in a parsed value (its depth is already bounded by the scan). */
function members(v: object): number {
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) n += members(x);
    }
    return n;
  }
  const values = Object.values(v);
  n = values.length;
  for (let i = 0; i < values.length; i++) {
    const x: unknown = values[i];
    if (typeof x === 'object' && x !== null) n += members(x);
  }
  return n;
}

function parse(text: string, code: JotErrorCode, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // No cause: V8's SyntaxError quotes the text, which may be decrypted plaintext (A52).
    throw err(code, `${what} is not valid JSON`);
  }
}

/**
 * The checks JSON.parse does not make. A duplicated name (compared after unescaping, at any depth) leaves the
 * parsed value with fewer members than the text has names: JSON.parse keeps one of them, and the earlier one's
 * value, with any names inside it, is dropped. So equal counts mean no duplicate, and no name is ever compared.
 */
function strict(
  value: unknown,
  text: string,
  utf8: Uint8Array | undefined,
  code: JotErrorCode,
  what: string,
  maxDepth: number,
) {
  if (typeof value === 'object' && value !== null) {
    const scanned = utf8 === undefined ? scanText(text, maxDepth) : scanUtf8(utf8, maxDepth);
    if (scanned === TOO_DEEP) throw err('ERR_LIMIT_EXCEEDED', `${what} is nested too deeply`);
    if (scanned === LONE_SURROGATE) throw err(code, `${what}: lone surrogate`);
    // Nothing nested (a flat object, as claims and headers usually are): its own keys are all its members.
    const kept = (scanned & 1) === 1 ? members(value) : Array.isArray(value) ? 0 : Object.keys(value).length;
    if (scanned >>> 1 !== kept) throw err(code, `${what}: duplicate member name`);
  } else if (typeof value === 'string' && scanText(text, maxDepth) === LONE_SURROGATE) {
    throw err(code, `${what}: lone surrogate`);
  }
  return value;
}

/**
 * Strict RFC 8259 JSON: `JSON.parse` syntax, plus duplicate member names rejected, lone surrogates
 * rejected, and bounded depth. Throws `code` (or `ERR_LIMIT_EXCEEDED` for depth). `utf8`, when the caller has it,
 * is the UTF-8 encoding of `text` (checked instead of the text, which is faster).
 */
export function parseJson(
  text: string,
  code: JotErrorCode,
  what = 'JSON',
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
  utf8?: Uint8Array,
): unknown {
  return strict(parse(text, code, what), text, utf8, code, what, limits.maxDepth);
}

/** Strict JSON whose top level must be an object (JOSE headers, JWT claims, JWKs). `utf8` as for parseJson. */
export function parseJsonObject(
  text: string,
  code: JotErrorCode,
  what = 'JSON',
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
  utf8?: Uint8Array,
): Record<string, unknown> {
  const v = parseJson(text, code, what, limits, utf8);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw err(code, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

/**
 * {@link parseJsonObject} of UTF-8 bytes: fatal decoding (`code` for invalid UTF-8), then the same rules, checked on
 * the bytes. For decoded token segments and plaintexts, which arrive as bytes.
 */
export function parseJsonObjectUtf8(
  bytes: Uint8Array,
  code: JotErrorCode,
  what = 'JSON',
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Record<string, unknown> {
  return parseJsonObject(utf8Decode(bytes, code, what), code, what, limits, bytes);
}

/**
 * Own-property read: never consults the prototype chain. On a caller's value that cannot be read (not an object, a
 * throwing getter or Proxy trap), `ERR_INVALID_OPTION`; parsed JSON never throws here.
 */
export function own<T = unknown>(obj: object, name: string): T | undefined {
  try {
    return Object.hasOwn(obj, name) ? ((obj as Record<string, unknown>)[name] as T) : undefined;
  } catch (e) {
    throw err('ERR_INVALID_OPTION', `the "${name}" member could not be read`, e);
  }
}

/** A plain (non-array, non-null) object? A revoked Proxy is not one. */
export function isObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  try {
    return !Array.isArray(v);
  } catch {
    return false;
  }
}

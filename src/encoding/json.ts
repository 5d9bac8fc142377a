import { type JotErrorCode, err } from '../errors.js';

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
const COMMA = 0x2c;

function hex4(text: string, at: number): number {
  return Number.parseInt(text.slice(at, at + 4), 16);
}

/**
 * Second pass over text that JSON.parse accepted: rejects duplicate member names (compared after
 * unescaping), lone surrogate escapes, and nesting deeper than `maxDepth`. Iterative, O(n).
 * Returns an error message or undefined.
 */
function scan(text: string, maxDepth: number): string | undefined {
  // One entry per open container: the member names seen so far (a Set: linear, not quadratic, in the member
  // count, so a 256 KiB object of 30,000 members costs milliseconds, not seconds), or null for arrays.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          if (text.charCodeAt(j + 1) === 0x75 /* u */) {
            const cu = hex4(text, j + 2);
            if (cu >= 0xd800 && cu <= 0xdbff) {
              if (text.charCodeAt(j + 6) !== BACKSLASH || text.charCodeAt(j + 7) !== 0x75) return 'lone surrogate';
              const lo = hex4(text, j + 8);
              if (lo < 0xdc00 || lo > 0xdfff) return 'lone surrogate';
              j += 12;
              continue;
            }
            if (cu >= 0xdc00 && cu <= 0xdfff) return 'lone surrogate';
            j += 6;
            continue;
          }
          j += 2;
          continue;
        }
        if (d >= 0xd800 && d <= 0xdfff) {
          // A raw surrogate must be a well-formed pair.
          const e = text.charCodeAt(j + 1);
          if (d > 0xdbff || e < 0xdc00 || e > 0xdfff) return 'lone surrogate';
          j += 2;
          continue;
        }
        j++;
      }
      if (expectKey) {
        const names = stack[stack.length - 1]!;
        const name = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (names.has(name)) return 'duplicate member name';
        names.add(name);
        expectKey = false;
      }
      i = j;
    } else if (c === LBRACE) {
      if (stack.length >= maxDepth) return 'nesting too deep';
      stack.push(new Set());
      expectKey = true;
    } else if (c === LBRACKET) {
      if (stack.length >= maxDepth) return 'nesting too deep';
      stack.push(null);
    } else if (c === RBRACE || c === RBRACKET) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

/**
 * Strict RFC 8259 JSON: `JSON.parse` syntax, plus duplicate member names rejected, lone surrogates
 * rejected, and bounded depth. Throws `code` (or `ERR_LIMIT_EXCEEDED` for depth).
 */
export function parseJson(
  text: string,
  code: JotErrorCode,
  what = 'JSON',
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // No cause: V8's SyntaxError quotes the text, which may be decrypted plaintext (A52).
    throw err(code, `${what} is not valid JSON`);
  }
  if (typeof value === 'object' && value !== null) {
    const problem = scan(text, limits.maxDepth);
    if (problem === 'nesting too deep') throw err('ERR_LIMIT_EXCEEDED', `${what} is nested too deeply`);
    if (problem !== undefined) throw err(code, `${what}: ${problem}`);
  } else if (typeof value === 'string' && scan(text, limits.maxDepth) !== undefined) {
    throw err(code, `${what}: lone surrogate`);
  }
  return value;
}

/** Strict JSON whose top level must be an object (JOSE headers, JWT claims, JWKs). */
export function parseJsonObject(
  text: string,
  code: JotErrorCode,
  what = 'JSON',
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Record<string, unknown> {
  const v = parseJson(text, code, what, limits);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw err(code, `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

/** Own-property read: never consults the prototype chain. */
export function own<T = unknown>(obj: object, name: string): T | undefined {
  return Object.hasOwn(obj, name) ? ((obj as Record<string, unknown>)[name] as T) : undefined;
}

/** A plain (non-array, non-null) object? */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

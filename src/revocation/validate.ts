import { err } from '../errors.js';

/** Longest `jti` or `sub` a list accepts, in UTF-16 code units. */
export const MAX_ID_LENGTH = 4096;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A `jti` or `sub` to store: a non-empty, well-formed string (a lone surrogate would collide with
 * U+FFFD once encoded as UTF-8 by SQLite or Redis).
 */
export function checkId(value: unknown, name: 'jti' | 'sub'): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a non-empty string`);
  }
  if (value.length > MAX_ID_LENGTH) throw err('ERR_INVALID_OPTION', `"${name}" is longer than ${MAX_ID_LENGTH}`);
  if (LONE_SURROGATE.test(value)) throw err('ERR_INVALID_OPTION', `"${name}" is not well-formed Unicode`);
}

/** A non-negative, finite number of seconds, or the default when undefined. */
export function seconds(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a non-negative number of seconds`);
  }
  return value;
}

/** A positive integer, or the default when undefined. */
export function positiveInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a positive integer`);
  }
  return value;
}

/** Throws unless `value` is an options object (keeps the caller's static type, unlike `isObject`). */
export function checkOptions(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw err('ERR_INVALID_OPTION', 'options must be an object');
  }
}

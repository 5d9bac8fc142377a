import { err } from '../errors.js';

/** Longest `jti` or `sub` a list accepts, in UTF-16 code units. */
export const MAX_ID_LENGTH = 4096;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A `jti` or `sub` to store: a non-empty, well-formed string (a lone surrogate would collide with
 * U+FFFD once encoded as UTF-8 by SQLite or Redis).
 */
export function checkId(value: unknown, name: 'jti' | 'sub' | 'kid'): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a non-empty string`);
  }
  if (value.length > MAX_ID_LENGTH) throw err('ERR_INVALID_OPTION', `"${name}" is longer than ${MAX_ID_LENGTH}`);
  if (LONE_SURROGATE.test(value)) throw err('ERR_INVALID_OPTION', `"${name}" is not well-formed Unicode`);
}

/**
 * The latest instant a revocation list stores, in Unix seconds: 9999-12-31T23:59:59Z. Every instant that enters a
 * list or a store (`exp`, `iat`, `issuedBefore`, cut-offs, expiries, the clock's "now") is a finite number within
 * [-MAX_TIME, MAX_TIME], the same on every store: within it, every store represents it exactly (a Redis TTL in
 * milliseconds stays far below 2^63, SQLite stores a REAL), so no store can refuse it later, in the middle of a
 * batch. Expiries computed past it (`exp` + tolerance) are clamped to it: kept "forever".
 */
export const MAX_TIME = 253_402_300_799;

/** The longest duration option, in seconds (100 years): `clockTolerance`, `subjectRetention`. */
export const MAX_DURATION = 3_155_760_000;

/** The longest timer interval node's setTimeout/setInterval honour (2^31 - 1 ms), in whole seconds. */
export const MAX_TIMER = 2_147_483;

/** A non-negative, finite number of seconds up to `max`, or the default when undefined. */
export function seconds(value: unknown, fallback: number, name: string, max: number = MAX_DURATION): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a number of seconds from 0 to ${max}`);
  }
  return value;
}

/** A finite instant in Unix seconds within [-MAX_TIME, MAX_TIME]. */
export function instant(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= -MAX_TIME && value <= MAX_TIME)) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a number of Unix seconds up to ${MAX_TIME} (year 9999)`);
  }
  return value;
}

/**
 * What every store checks where a revocation enters (`addJti`), before anything is cached, batched or written: a bad
 * entry is refused alone, with ERR_INVALID_OPTION, and can never abort a batch it would have shared.
 */
export function checkJtiEntry(jti: unknown, expiresAt: unknown, now: unknown): void {
  checkId(jti, 'jti');
  instant(expiresAt, 'expiresAt');
  instant(now, 'now');
}

/** The same for `addKid` (a revoked signing key). */
export function checkKidEntry(kid: unknown, expiresAt: unknown, now: unknown): void {
  checkId(kid, 'kid');
  instant(expiresAt, 'expiresAt');
  instant(now, 'now');
}

/** The same for `setSubjectCutoff`. */
export function checkSubjectEntry(sub: unknown, cutoff: unknown, expiresAt: unknown, now: unknown): void {
  checkId(sub, 'sub');
  instant(cutoff, 'cutoff');
  instant(expiresAt, 'expiresAt');
  instant(now, 'now');
}

/** A lookup's arguments (`hasJti`, `getSubjectCutoff`). */
export function checkLookup(id: unknown, now: unknown, name: 'jti' | 'sub' | 'kid'): void {
  if (typeof id !== 'string') throw err('ERR_INVALID_OPTION', `"${name}" must be a string`);
  instant(now, 'now');
}

/** A positive integer up to `max`, or the default when undefined. */
export function positiveInt(value: unknown, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw err('ERR_INVALID_OPTION', `"${name}" must be a positive integer up to ${max}`);
  }
  return value;
}

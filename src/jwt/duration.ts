import { err } from '../errors.js';

/**
 * A span of time: a number of seconds, or a string of an integer and one unit:
 * `s` (seconds), `m` (minutes), `h` (hours), `d` (days), `w` (weeks), e.g. `'30s'`, `'15m'`, `'2h'`, `'7d'`, `'1w'`.
 * Units are lower case only (`'15M'` is refused rather than guessed as months); no spaces, signs or fractions in
 * strings. Months and years are not accepted: their length is ambiguous.
 */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;

const UNIT_SECONDS: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }),
);

const DURATION = /^(\d{1,12})([smhdw])$/;

/** One day, in seconds: the largest clock tolerance jot accepts. */
export const ONE_DAY = 86_400;
/** About 100 years, in seconds: the largest duration jot accepts anywhere. */
export const MAX_DURATION = 100 * 366 * ONE_DAY;

/**
 * Parse a {@link Duration} into seconds, checking `min <= value <= max`. Throws `ERR_INVALID_OPTION` naming
 * `name` for anything else: a non-finite number, an unknown unit, an out-of-range value. Never coerces.
 */
export function parseDuration(value: unknown, name: string, min = 0, max = MAX_DURATION): number {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string') {
    const m = DURATION.exec(value);
    if (m === null)
      throw err('ERR_INVALID_OPTION', `${name} is not a duration (seconds, or e.g. '30s', '15m', '2h', '7d')`);
    seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  } else {
    throw err('ERR_INVALID_OPTION', `${name} must be a number of seconds or a duration string`);
  }
  if (!Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw err('ERR_INVALID_OPTION', `${name} must be a duration from ${min} to ${max} seconds`);
  }
  return seconds;
}

/** An optional duration: `undefined` stays `undefined`. */
export function durationOption(value: unknown, name: string, min = 0, max = MAX_DURATION): number | undefined {
  return value === undefined ? undefined : parseDuration(value, name, min, max);
}

/** A `Date` whose time is a finite number, as Unix seconds (fractional). Throws `ERR_INVALID_OPTION`. */
export function dateSeconds(value: unknown, name: string): number {
  let ms = Number.NaN;
  try {
    ms = Date.prototype.getTime.call(value);
  } catch {
    // not a genuine Date
  }
  if (!Number.isFinite(ms)) throw err('ERR_INVALID_OPTION', `${name} must be a valid Date`);
  return ms / 1000;
}

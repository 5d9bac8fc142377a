// Durations: seconds or '<integer><s|m|h|d|w>'; anything else is ERR_INVALID_OPTION, never coerced.
import { describe, expect, it } from 'vitest';
import { dateSeconds, MAX_DURATION, parseDuration } from '../../src/jwt/duration.js';
import { expectCode } from '../helpers/index.js';

describe('parseDuration', () => {
  it('parses numbers and unit strings', () => {
    expect(parseDuration(0, 'd')).toBe(0);
    expect(parseDuration(1.5, 'd')).toBe(1.5);
    expect(parseDuration('30s', 'd')).toBe(30);
    expect(parseDuration('15m', 'd')).toBe(900);
    expect(parseDuration('2h', 'd')).toBe(7200);
    expect(parseDuration('7d', 'd')).toBe(604_800);
    expect(parseDuration('1w', 'd')).toBe(604_800);
  });
  it('refuses everything else', async () => {
    const values = [
      '15M',
      '1y',
      '1mo',
      '1.5h',
      ' 5m',
      '5m ',
      '5 minutes',
      '-5s',
      '+5s',
      '5',
      '',
      's',
      '1e309',
      '0x10s',
      '１s', // full-width digit
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      true,
      {},
      [5],
      5n,
    ];
    for (const v of values) await expectCode(() => parseDuration(v, 'x'), 'ERR_INVALID_OPTION');
  });
  it('enforces the range', async () => {
    await expectCode(() => parseDuration(86_401, 'clockTolerance', 0, 86_400), 'ERR_INVALID_OPTION');
    await expectCode(() => parseDuration('2d', 'clockTolerance', 0, 86_400), 'ERR_INVALID_OPTION');
    await expectCode(() => parseDuration(MAX_DURATION + 1, 'x'), 'ERR_INVALID_OPTION');
    await expectCode(() => parseDuration('999999999999w', 'x'), 'ERR_INVALID_OPTION');
    await expectCode(() => parseDuration(0, 'expiresIn', 1), 'ERR_INVALID_OPTION');
  });
  it('dateSeconds takes only valid, genuine Dates', async () => {
    expect(dateSeconds(new Date(1500), 'd')).toBe(1.5);
    for (const v of [new Date(Number.NaN), Object.create(Date.prototype), 1500, '2030-01-01', {}]) {
      await expectCode(() => dateSeconds(v, 'currentDate'), 'ERR_INVALID_OPTION');
    }
  });
});

// Error matchers: a failure is a JotError with an exact code (and claim/reason for claim errors).
import { expect } from 'vitest';
import { JotError, type JotErrorCode } from '../../src/errors.js';

/** What a claim error must also carry. */
export interface ClaimExpectations {
  claim?: string;
  reason?: string;
}

/**
 * Run `action` (a promise or a function) and return the JotError it must fail with; asserts the code (or one of
 * several), and the claim and reason when given.
 */
export async function expectCode(
  action: Promise<unknown> | (() => unknown),
  code: JotErrorCode | readonly JotErrorCode[],
  extra: ClaimExpectations = {},
): Promise<JotError> {
  const codes: readonly JotErrorCode[] = typeof code === 'string' ? [code] : code;
  const e = await rejection(action, codes.join('|'));
  expect(codes).toContain(e.code);
  if (extra.claim !== undefined) expect((e as { claim?: string }).claim).toBe(extra.claim);
  if (extra.reason !== undefined) expect((e as { reason?: string }).reason).toBe(extra.reason);
  return e;
}

/** Run `action` and return the JotError it fails with, whatever its code (fails the test otherwise). */
export async function rejection(action: Promise<unknown> | (() => unknown), expected = 'any code'): Promise<JotError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (e) {
    if (e instanceof JotError) return e;
    throw new Error(`expected a JotError (${expected}), got ${String(e)}`, { cause: e });
  }
  throw new Error(`expected a JotError (${expected}), but the call succeeded`);
}

/** The outcome of an action as a string: 'ok', or the JotError code. Anything else is rethrown. */
export async function outcome(action: Promise<unknown> | (() => unknown)): Promise<'ok' | JotErrorCode> {
  try {
    await (typeof action === 'function' ? action() : action);
    return 'ok';
  } catch (e) {
    if (e instanceof JotError) return e.code;
    throw e;
  }
}

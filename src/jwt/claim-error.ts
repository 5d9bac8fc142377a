import { type ClaimName, type ClaimReason, JwtClaimError } from '../errors.js';

type ClaimErrorCode = 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWT_EXPIRED';

/**
 * Build a {@link JwtClaimError}. Every JWT module constructs claim errors here only.
 *
 * Workaround: the JwtClaimError constructor in src/errors.ts defines `payload` as read-only and then assigns it,
 * which throws a TypeError under ES2022 class-field semantics. Until that is fixed (declare the field, drop the
 * assignment), the same object is assembled here: a genuine `instanceof JwtClaimError` with the same fields.
 * @internal
 */
export function claimError(
  code: ClaimErrorCode,
  claim: ClaimName,
  reason: ClaimReason,
  payload: Readonly<Record<string, unknown>>,
  message?: string,
): JwtClaimError {
  try {
    return new JwtClaimError(code, claim, reason, payload, message);
  } catch {
    const e = Object.create(JwtClaimError.prototype) as JwtClaimError;
    const hidden = { enumerable: false, configurable: true, writable: true };
    Object.defineProperty(e, 'message', { ...hidden, value: message ?? `"${claim}" claim check failed: ${reason}` });
    Object.defineProperty(e, 'name', { ...hidden, value: 'JwtClaimError' });
    Object.defineProperties(e, {
      code: { value: code, enumerable: true },
      claim: { value: claim, enumerable: true },
      reason: { value: reason, enumerable: true },
      payload: { value: payload, enumerable: false },
    });
    Error.captureStackTrace(e, claimError);
    return e;
  }
}

import { type ClaimName, type ClaimReason, JwtClaimError } from '../errors.js';

type ClaimErrorCode = 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWT_EXPIRED';

/** Build a {@link JwtClaimError}. Every JWT module constructs claim errors here only. @internal */
export function claimError(
  code: ClaimErrorCode,
  claim: ClaimName,
  reason: ClaimReason,
  payload: Readonly<Record<string, unknown>>,
  message?: string,
): JwtClaimError {
  return new JwtClaimError(code, claim, reason, payload, message);
}

/** Verify a signed token with a pasted or fetched key, and say in words which check failed: expected vs found. */
import type { AuditReport } from 'jotjs/audit';
import {
  type CompactVerifyResult,
  isJotError,
  type JotError,
  type Key,
  validateClaims,
  verifyCompact,
  verifyJson,
  verifyJwt,
} from 'jotjs';
import { byId, describeError, isoDate, outcome, span, value } from './dom.js';
import { algList, type KeyFormat, readKey } from './keys.js';

interface Checks {
  algorithms: string[];
  issuer: string[];
  audience: string[];
  leeway: number;
}

function checks(): Checks {
  const leewayText = value('verify-leeway');
  const leeway = leewayText === '' ? 0 : Number(leewayText);
  if (!Number.isFinite(leeway) || leeway < 0 || leeway > 86400) throw new Error('leeway must be 0 to 86400 seconds');
  return {
    algorithms: algList(value('verify-algs')),
    issuer: algList(value('verify-iss')),
    audience: algList(value('verify-aud')),
    leeway,
  };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const list = (v: string[]): string => (v.length === 0 ? 'not set' : v.join(', '));

/** The failure in words: what was checked, what was expected, what the token holds. */
function explain(e: unknown, report: AuditReport, c: Checks, now: number): [string, string[]] {
  if (!isJotError(e)) return ['Verification failed', [describeError(e)]];
  const err = e as JotError & { claim?: string; reason?: string };
  const header = report.headers[0] ?? {};
  const payload = report.payload ?? {};
  switch (err.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return [
        'Signature check failed: the signature does not match',
        [
          'The header and payload were changed after signing, or another key signed the token.',
          `Token alg: ${show(header.alg)}; kid: ${show(header.kid)}`,
        ],
      ];
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return [
        'Algorithm check failed',
        [`Expected: ${list(c.algorithms)} (or the key's own algorithm)`, `Found: ${show(header.alg)}`, err.message],
      ];
    case 'ERR_JWT_EXPIRED': {
      const exp = Number(payload.exp);
      return [
        'Expiry check failed: the token has expired',
        [`exp: ${isoDate(exp)} (${span(now - exp)} ago)`, `now: ${isoDate(now)}; leeway: ${c.leeway} s`],
      ];
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = err.claim ?? 'a claim';
      const expected =
        claim === 'iss'
          ? list(c.issuer)
          : claim === 'aud'
            ? list(c.audience)
            : claim === 'nbf' || claim === 'iat'
              ? `not after ${isoDate(now + c.leeway)}`
              : 'see below';
      return [
        `Claim check failed: ${claim} (${err.reason ?? 'invalid'})`,
        [`Expected: ${expected}`, `Found: ${show(payload[claim])}`, err.message],
      ];
    }
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return [
        'No key in the set matches the token',
        [`Token kid: ${show(header.kid)}; alg: ${show(header.alg)}`, err.message],
      ];
    case 'ERR_KEY_INVALID':
      return ['The key cannot verify this token', [err.message]];
    case 'ERR_INVALID_OPTION':
      return ['Cannot verify with these settings', [err.message]];
    default:
      return ['Verification failed', [describeError(err)]];
  }
}

/** Runs the verification the form describes and shows the outcome. */
export async function verifyToken(token: string, report: AuditReport | undefined): Promise<void> {
  const out = byId('verify-outcome');
  if (report === undefined || token === '') return outcome(out, 'bad', 'Paste a token first.');
  if (report.type !== 'JWS') {
    return outcome(out, 'bad', 'Only a signed token (JWS) can be verified.', [
      'Decrypt a JWE below, then verify its inner token.',
    ]);
  }
  let c: Checks;
  let key: Key | Awaited<ReturnType<typeof readKey>>;
  try {
    c = checks();
    const only = c.algorithms.length === 1 ? c.algorithms[0] : undefined;
    key = await readKey(value('verify-key'), byId<HTMLSelectElement>('verify-key-format').value as KeyFormat, only);
  } catch (e) {
    return outcome(out, 'bad', 'Cannot read the key', [describeError(e)]);
  }
  const now = Date.now() / 1000;
  const algorithms = c.algorithms.length === 0 ? {} : { algorithms: c.algorithms };
  const claimChecks = {
    ...(c.issuer.length === 0 ? {} : { issuer: c.issuer }),
    ...(c.audience.length === 0 ? {} : { audience: c.audience }),
    clockTolerance: c.leeway,
  };
  try {
    let result: Pick<CompactVerifyResult, 'key' | 'protectedHeader'>;
    if (report.serialization === 'compact' && report.payload !== undefined) {
      result = await verifyJwt(token, key, { ...algorithms, ...claimChecks });
    } else if (report.serialization === 'compact') {
      result = await verifyCompact(token, key, algorithms);
    } else {
      const r = await verifyJson(JSON.parse(token), key, algorithms);
      if (report.payload !== undefined) {
        validateClaims(JSON.parse(new TextDecoder().decode(r.payload)), claimChecks, undefined, r.protectedHeader);
      }
      result = r;
    }
    const k = result.key;
    outcome(out, 'ok', 'Valid: the signature verifies and the claims pass the checks', [
      `Algorithm: ${show(result.protectedHeader.alg)}`,
      `Key: ${k.kty}${k.kid === undefined ? '' : `, kid ${JSON.stringify(k.kid)}`}${k.alg === undefined ? '' : `, bound to ${k.alg}`}`,
      `Issuer: ${c.issuer.length === 0 ? 'not checked' : 'checked'}; audience: ${c.audience.length === 0 ? 'not checked' : 'checked'}; leeway ${c.leeway} s`,
      report.payload === undefined
        ? 'The payload is not JSON claims: only the signature was checked.'
        : 'exp and nbf checked against now.',
    ]);
  } catch (e) {
    const [headline, lines] = explain(e, report, c, now);
    outcome(out, 'bad', headline, lines);
  }
}

/** `auditToken`: what is wrong with a token, read from its header and claims alone (no key, nothing verified). */
import { utf8Encode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { decodeUnverified } from '../jwt/decode.js';
import { parseDuration } from '../jwt/duration.js';
import { callerError, intOption, readOptions } from '../options.js';
import {
  type AuditFinding,
  type AuditSeverity,
  claimFindings,
  f,
  headerFindings,
  jweFindings,
  jwsAlgFindings,
  SEVERITY_ORDER,
  sizeFinding,
} from './checks.js';
import { dataFindings } from './data.js';
import { readJsonToken } from './json-token.js';

/** Options of {@link auditToken}. */
export interface AuditTokenOptions {
  /** "Now" in Unix seconds, for the lifetime and expiry checks (default: the clock). */
  now?: number;
  /** Longest acceptable lifetime (`exp - iat`), in seconds or as a duration such as `'24h'` (default 24 h). */
  maxLifetime?: number | string;
  /** Largest acceptable token, in UTF-8 bytes (default 8192: what proxies and header limits let through). */
  maxSize?: number;
}

/** The outcome of {@link auditToken}. */
export interface AuditReport {
  /** `JWS` or `JWE`; absent when the token could not be read. */
  type?: 'JWS' | 'JWE';
  /** `compact` (dots) or `json` (RFC 7515/7516 JSON serialization). */
  serialization?: 'compact' | 'json';
  /** The first header's `alg`, when it is a string. */
  alg?: string;
  /** One header per signature or recipient (a compact token has one); JSON members merged. */
  headers: Record<string, unknown>[];
  /** A JWS's claims when its payload is a JSON object (a JWE's are encrypted). */
  payload?: Record<string, unknown>;
  /** The findings, most severe first. */
  findings: AuditFinding[];
  /** How many findings of each severity. */
  summary: Record<AuditSeverity, number>;
}

const KNOWN = new Set(['now', 'maxLifetime', 'maxSize']);
const DEFAULT_MAX_LIFETIME = 24 * 3600;
const DEFAULT_MAX_SIZE = 8192;

/**
 * Audit a token the way `jot audit` does, from what anyone holding it can read: `alg: none` and unknown algorithms,
 * key-carrying and key-locating headers (`jwk`, `jku`, `x5u`, `x5c`), suspicious `kid` values, missing or too long
 * `exp`, missing `aud`, `iss` and `typ`, personal data and secret-looking claims, risky JWE parameters, and the size.
 * Takes compact tokens and both JSON serializations. A token that cannot be read is a `malformed` finding, not an
 * error. **Nothing is verified**: a clean report says nothing about who made the token. Throws `ERR_JWT_INVALID`
 * when `token` is not a string and `ERR_INVALID_OPTION` for a bad option.
 *
 * @example
 * ```ts
 * import { auditToken } from 'jotjs/audit';
 * const report = auditToken(token, { maxLifetime: '1h' });
 * for (const x of report.findings) console.log(x.severity, x.message, '->', x.fix);
 * ```
 */
export function auditToken(token: string, options?: AuditTokenOptions): AuditReport {
  try {
    return audit(token, options);
  } catch (e) {
    throw callerError(e);
  }
}

function audit(token: string, options: AuditTokenOptions | undefined): AuditReport {
  if (typeof token !== 'string') throw err('ERR_JWT_INVALID', 'token must be a string');
  const o = readOptions(options, KNOWN, 'audit');
  const now = o.now === undefined ? Date.now() / 1000 : o.now;
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw err('ERR_INVALID_OPTION', 'now must be Unix seconds (a finite number)');
  }
  const maxLifetime =
    o.maxLifetime === undefined ? DEFAULT_MAX_LIFETIME : parseDuration(o.maxLifetime, 'maxLifetime', 1);
  const maxSize = intOption(o.maxSize, 'maxSize', DEFAULT_MAX_SIZE, 1, 1 << 30);

  const text = token.trim();
  const findings: AuditFinding[] = [];
  const report: AuditReport = { headers: [], findings, summary: { high: 0, medium: 0, low: 0, info: 0 } };
  const size = sizeFinding(utf8Encode(text).byteLength, maxSize);
  if (size !== undefined) findings.push(size);
  let unprotected: string[][] = [[]];
  try {
    if (text.startsWith('{')) {
      const parts = readJsonToken(text);
      report.type = parts.type;
      report.headers = parts.headers;
      unprotected = parts.unprotected;
      if (parts.payload !== undefined) report.payload = parts.payload;
      report.serialization = 'json';
    } else {
      const decoded = decodeUnverified(text);
      report.type = decoded.encrypted ? 'JWE' : 'JWS';
      report.headers = [decoded.header];
      if (decoded.payload !== undefined) report.payload = decoded.payload;
      report.serialization = 'compact';
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    findings.push(
      f('malformed', 'high', `not a well-formed token: ${why}`, 'verifiers must reject it; find out who produced it'),
    );
    return finish(report);
  }
  const first = report.headers[0]!;
  if (typeof first.alg === 'string') report.alg = first.alg;
  report.headers.forEach((header, i) => {
    findings.push(...headerFindings(header));
    findings.push(...(report.type === 'JWE' ? jweFindings(header) : jwsAlgFindings(header)));
    // What must be integrity-protected: a JWS's algorithm and processing rules; a JWE's (whose recipients may
    // each name their key management algorithm unprotected, RFC 7516 §7.2.1) rules and compression.
    for (const name of report.type === 'JWE' ? (['crit', 'zip'] as const) : (['alg', 'crit', 'b64'] as const)) {
      if (unprotected[i]?.includes(name)) {
        findings.push(
          f(
            'unprotected-header',
            'medium',
            `"${name}" is in an unprotected header: nothing covers it`,
            `put ${name} in the protected header; verifiers should ignore it elsewhere`,
          ),
        );
      }
    }
  });
  if (report.type === 'JWS') {
    if (report.payload === undefined) {
      findings.push(f('not-jwt', 'info', 'the payload is not a JSON object: not a JWT', 'nothing to fix for a JWS'));
    } else {
      findings.push(...claimFindings(first, report.payload, now, maxLifetime));
      findings.push(...dataFindings(report.payload));
    }
  }
  return finish(report);
}

function finish(r: AuditReport): AuditReport {
  const seen = new Set<string>();
  r.findings = r.findings.filter((x) => {
    const key = `${x.id}\u0000${x.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  r.findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  for (const x of r.findings) r.summary[x.severity]++;
  return r;
}

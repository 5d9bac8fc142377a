/**
 * The checks of `jot audit` and the debugger page that read a token's header and claims (pure functions): each finding has
 * a severity and a one-line fix, after RFC 8725 (JWT Best Current Practices).
 */
import { findKeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';

/** How bad a finding is: `high` findings make `jot audit` exit with status 1. */
export type AuditSeverity = 'high' | 'medium' | 'low' | 'info';

/** One problem found in a token, with what to do about it. */
export interface AuditFinding {
  /** A stable identifier (`alg-none`, `no-exp`, ...; the table in docs/cli.md). */
  id: string;
  /** How bad it is. */
  severity: AuditSeverity;
  /** What was found (untrusted parts are escaped when printed). */
  message: string;
  /** What to do about it, in one line. */
  fix: string;
}

export const SEVERITY_ORDER: Readonly<Record<AuditSeverity, number>> = { high: 0, medium: 1, low: 2, info: 3 };

export const f = (id: string, severity: AuditSeverity, message: string, fix: string): AuditFinding => ({
  id,
  severity,
  message,
  fix,
});

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Header checks common to JWS and JWE: key-carrying and key-locating parameters, kid shape. */
export function headerFindings(header: Record<string, unknown>): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const name of ['jku', 'x5u'] as const) {
    if (Object.hasOwn(header, name)) {
      out.push(
        f(
          `header-${name}`,
          'high',
          `the header names a key URL (${name}: ${show(header[name])})`,
          `ignore ${name}: select keys from a pinned JWKS, never from a URL the token supplies`,
        ),
      );
    }
  }
  for (const name of ['jwk', 'x5c'] as const) {
    if (Object.hasOwn(header, name)) {
      out.push(
        f(
          `header-${name}`,
          'high',
          `the header embeds a key (${name})`,
          `never verify with a key the token carries; use your own key or pinned set`,
        ),
      );
    }
  }
  if (Object.hasOwn(header, 'kid')) {
    const kid = header.kid;
    if (typeof kid !== 'string') {
      out.push(
        f(
          'kid-type',
          'medium',
          `kid is not a string (${show(kid)})`,
          'treat kid as an opaque string looked up in a fixed key set',
        ),
      );
    } else {
      if (/\.\.[/\\]|^[/\\~]|^[A-Za-z]:[/\\]|\u0000/.test(kid)) {
        out.push(
          f(
            'kid-path',
            'high',
            `kid looks like a file path (${show(kid)})`,
            'never open files named by kid: look it up in a key set',
          ),
        );
      }
      if (/['"`;]|--|\/\*|\b(union|select|insert|update|delete|drop|sleep)\b|\bor\s+\S+\s*=/i.test(kid)) {
        out.push(
          f(
            'kid-sql',
            'high',
            `kid looks like SQL or shell injection (${show(kid)})`,
            'never build a query or command from kid: use a parameterised lookup in a key set',
          ),
        );
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(kid)) {
        out.push(
          f(
            'kid-url',
            'medium',
            `kid looks like a URL (${show(kid)})`,
            'never fetch what kid names: select keys from a pinned set',
          ),
        );
      }
      if (/[\u0000-\u001f\u007f]/.test(kid)) {
        out.push(
          f(
            'kid-control',
            'medium',
            'kid holds control characters',
            'reject kids with control characters before logging or lookup',
          ),
        );
      }
    }
  }
  return out;
}

/** JWS algorithm checks. */
export function jwsAlgFindings(header: Record<string, unknown>): AuditFinding[] {
  const alg = header.alg;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return [
      f(
        'alg-none',
        'high',
        `the token is unsecured (alg: ${show(alg)}): anyone can forge it`,
        'reject alg none: pass an explicit algorithm allow-list to the verifier',
      ),
    ];
  }
  if (typeof alg !== 'string' || findJwsAlgorithm(alg) === undefined) {
    return [
      f(
        'alg-unknown',
        'medium',
        `unknown signature algorithm (alg: ${show(alg)})`,
        'use a registered algorithm such as ES256, EdDSA or RS256',
      ),
    ];
  }
  if (findJwsAlgorithm(alg)!.family === 'hmac') {
    return [
      f(
        'alg-symmetric',
        'info',
        `${alg} is symmetric: every party that verifies can also mint tokens`,
        'prefer ES256 or EdDSA when verifiers are other services',
      ),
    ];
  }
  return [];
}

/** JWE header checks. */
export function jweFindings(header: Record<string, unknown>): AuditFinding[] {
  const out: AuditFinding[] = [];
  const km = findKeyManagementAlgorithm(header.alg);
  if (km === undefined)
    out.push(
      f(
        'alg-unknown',
        'medium',
        `unknown key management algorithm (alg: ${show(header.alg)})`,
        'use RSA-OAEP-256, ECDH-ES+A256KW or A256KW',
      ),
    );
  else if (km.family === 'rsa1_5')
    out.push(
      f(
        'alg-rsa1_5',
        'medium',
        'RSA1_5 key transport is open to padding-oracle attacks',
        'use RSA-OAEP-256 or ECDH-ES',
      ),
    );
  else if (km.family === 'pbes2' && typeof header.p2c === 'number' && header.p2c > 1_000_000) {
    out.push(
      f(
        'pbes2-count',
        'medium',
        `PBES2 iteration count ${header.p2c} costs the receiver seconds of CPU`,
        'cap p2c on decryption (jot: maxPbes2Count)',
      ),
    );
  }
  if (Object.hasOwn(header, 'zip'))
    out.push(
      f(
        'jwe-zip',
        'low',
        'the plaintext is compressed before encryption (length leaks)',
        'avoid zip when attacker-controlled and secret data share a token (RFC 8725 §3.6)',
      ),
    );
  out.push(
    f(
      'jwe-claims',
      'info',
      'the claims are encrypted: only the header was audited',
      'audit the decrypted claims (jot decrypt TOKEN --key FILE --json)',
    ),
  );
  return out;
}

/** Claim checks: lifetime, audience, issuer, type. */
export function claimFindings(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  now: number,
  maxLifetime: number,
): AuditFinding[] {
  const out: AuditFinding[] = [];
  const { exp, iat } = payload;
  if (exp === undefined) {
    out.push(
      f(
        'no-exp',
        'high',
        'no exp claim: the token never expires',
        'always set exp (a short lifetime: minutes for access tokens)',
      ),
    );
  } else if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    out.push(
      f('exp-type', 'high', `exp is not a number (${show(exp)})`, 'exp is NumericDate: seconds since the epoch'),
    );
  } else {
    const start = typeof iat === 'number' ? iat : now;
    const life = exp - start;
    if (life > maxLifetime) {
      const days = life / 86400;
      const span = days >= 2 ? `${Math.round(days)} d` : `${Math.round(life / 3600)} h`;
      out.push(
        f(
          'long-lifetime',
          'medium',
          `lifetime ${span}${typeof iat === 'number' ? ' (exp - iat)' : ' from now'} exceeds ${Math.round(maxLifetime / 3600)} h`,
          'issue short-lived tokens and refresh them',
        ),
      );
    }
    if (exp < now) out.push(f('expired', 'info', 'the token has expired', 'nothing to fix: verifiers reject it'));
  }
  if (!Object.hasOwn(payload, 'aud'))
    out.push(
      f(
        'no-aud',
        'medium',
        'no aud claim: any service that trusts the issuer accepts it',
        'set aud to the intended service and check it on verification (RFC 8725 §3.9)',
      ),
    );
  if (!Object.hasOwn(payload, 'iss'))
    out.push(f('no-iss', 'low', 'no iss claim', 'set iss and check it on verification (RFC 8725 §3.8)'));
  if (!Object.hasOwn(header, 'typ'))
    out.push(
      f(
        'no-typ',
        'low',
        'no typ header: the token can be confused with other JWT kinds',
        'set an explicit type such as at+jwt and check it (RFC 8725 §3.11)',
      ),
    );
  return out;
}

export function sizeFinding(length: number, max: number): AuditFinding | undefined {
  if (length <= max) return undefined;
  return f(
    'oversized',
    'medium',
    `the token is ${length} bytes (over ${max})`,
    'keep tokens small: headers and proxies cap at 8 KiB; move bulky data out of the claims',
  );
}

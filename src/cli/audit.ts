/** `jot audit TOKEN|-`: findings with a severity and a one-line fix each; `--secret-file F` rates a secret. */
import { findJwsAlgorithm } from '../alg/jws.js';
import { auditToken } from '../audit/audit.js';
import { type AuditFinding as Finding, SEVERITY_ORDER } from '../audit/checks.js';
import { bundledSet, type CrackResult, crackHmac, rateSecret, type SecretRating } from './audit-secret.js';
import { type Command, type Context, flag, str } from './command.js';
import { loadKeyFile, parseDurationArg, readSecret, readToken } from './input.js';
import { EXIT_OK, EXIT_REJECTED, safeText, UsageError } from './io.js';

export interface AuditResult {
  type?: 'JWS' | 'JWE';
  alg?: string;
  findings: Finding[];
  summary: Record<'high' | 'medium' | 'low' | 'info', number>;
  crack?: CrackResult;
  secret?: SecretRating;
}

const DEFAULT_MAX_LIFETIME = 24 * 3600;
const DEFAULT_MAX_SIZE = 8192;

function secretFindings(rating: SecretRating, minBytes: number): Finding[] {
  const out: Finding[] = [];
  if (rating.inWordlist) {
    out.push({
      id: 'secret-known',
      severity: 'high',
      message: 'the secret is on the list of well-known secrets',
      fix: 'generate a random secret: jot keygen HS256 --out-private FILE',
    });
  }
  if (rating.bytes < minBytes) {
    out.push({
      id: 'secret-short',
      severity: 'high',
      message: `the secret is ${rating.bytes} bytes, under the ${minBytes} the algorithm needs (RFC 7518 §3.2)`,
      fix: `use at least ${minBytes} random bytes`,
    });
  }
  if (rating.entropyBits < 128) {
    out.push({
      id: 'secret-entropy',
      severity: rating.entropyBits < 64 ? 'high' : 'medium',
      message: `the secret has about ${rating.entropyBits} bits of entropy (estimate)`,
      fix: 'use a random secret of 256 bits or more, not a password',
    });
  }
  return out;
}

async function compute(ctx: Context): Promise<AuditResult> {
  const v = ctx.values;
  const maxLifetime =
    str(v, 'max-lifetime') === undefined
      ? DEFAULT_MAX_LIFETIME
      : parseDurationArg(str(v, 'max-lifetime')!, '--max-lifetime');
  const sizeArg = str(v, 'max-size');
  const maxSize = sizeArg === undefined ? DEFAULT_MAX_SIZE : Number(sizeArg);
  if (!Number.isSafeInteger(maxSize) || maxSize < 1) throw new UsageError('--max-size must be a positive integer');
  const secret = readSecret(ctx);
  const token = await readToken(ctx, false);
  const findings: Finding[] = [];
  const result: AuditResult = { findings, summary: { high: 0, medium: 0, low: 0, info: 0 } };
  if (token === undefined) {
    if (secret === undefined)
      throw new UsageError('give a token (or -) to audit, or a secret to rate (--secret-file FILE)');
    result.secret = rateSecret(secret, bundledSet());
    findings.push(...secretFindings(result.secret, 32));
    return finish(result);
  }
  const report = auditToken(token, { now: ctx.io.now(), maxLifetime, maxSize });
  findings.push(...report.findings);
  if (report.type !== undefined) result.type = report.type;
  if (report.alg !== undefined) result.alg = report.alg;
  // The signature checks below read a compact JWS; a JSON serialization or a JWE is audited from its headers.
  if (report.type !== 'JWS' || report.serialization !== 'compact') return finish(result);
  const header = report.headers[0]!;

  const alg = findJwsAlgorithm(header.alg);
  const dot = token.lastIndexOf('.');
  const signingInput = token.slice(0, dot);
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  if (alg?.family === 'hmac') {
    const target = { signingInput, signature, hash: alg.hash };
    if (secret !== undefined) {
      const { createHmac } = await import('node:crypto');
      const ok = createHmac(alg.hash, secret).update(signingInput).digest().equals(signature);
      findings.push(
        ok
          ? {
              id: 'signature-ok',
              severity: 'info',
              message: 'the signature verifies with the given secret',
              fix: 'nothing to fix',
            }
          : {
              id: 'signature-bad',
              severity: 'high',
              message: 'the signature does not verify with the given secret',
              fix: 'check the secret, or treat the token as forged',
            },
      );
      result.secret = rateSecret(secret, bundledSet());
      findings.push(...secretFindings(result.secret, alg.minKeySize));
    } else if (!flag(v, 'no-wordlist')) {
      const crack = await crackHmac(ctx, target, str(v, 'wordlist'));
      result.crack = crack;
      if (crack.found !== undefined) {
        findings.push({
          id: 'weak-secret',
          severity: 'high',
          message: `the HMAC secret is ${safeText(JSON.stringify(crack.found))} (found in ${crack.foundIn}): anyone can forge tokens`,
          fix: 'rotate to a random secret of 32+ bytes (jot keygen HS256) and revoke tokens signed with this one',
        });
      } else if (crack.stopped) {
        findings.push({
          id: 'search-stopped',
          severity: 'info',
          message: `secret search stopped after ${crack.tried} candidates`,
          fix: 'run again to finish the search',
        });
      }
    }
  } else if (str(v, 'key') !== undefined && alg !== undefined) {
    const loaded = await loadKeyFile(ctx, str(v, 'key')!, {});
    const { verifyCompact } = await import('../jws/compact.js');
    try {
      await verifyCompact(token, loaded.kind === 'set' ? loaded.resolver : loaded.key, { algorithms: [alg.name] });
      findings.push({
        id: 'signature-ok',
        severity: 'info',
        message: `the signature verifies with ${safeText(loaded.source)}`,
        fix: 'nothing to fix',
      });
    } catch {
      findings.push({
        id: 'signature-bad',
        severity: 'high',
        message: `the signature does not verify with ${safeText(loaded.source)}`,
        fix: 'check the key, or treat the token as forged',
      });
    }
  }
  return finish(result);
}

function finish(r: AuditResult): AuditResult {
  r.findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  for (const x of r.findings) r.summary[x.severity]++;
  return r;
}

export const command: Command<AuditResult> = {
  compute,
  exitCode: (r) => (r.summary.high > 0 ? EXIT_REJECTED : EXIT_OK),
  text(r, ctx) {
    const st = ctx.out;
    const paint = { high: st.red, medium: st.yellow, low: st.cyan, info: st.dim };
    const lines: string[] = [];
    if (r.type !== undefined) lines.push(st.bold(`${r.type}${r.alg === undefined ? '' : ` ${safeText(r.alg)}`}`));
    if (r.secret !== undefined) {
      lines.push(
        st.bold(
          `secret: ${r.secret.bytes} bytes, about ${r.secret.entropyBits} bits of entropy${r.secret.inWordlist ? ', on the well-known list' : ''}`,
        ),
      );
    }
    if (r.crack !== undefined && r.crack.found === undefined) {
      lines.push(
        st.dim(
          `secret search: ${r.crack.tried} candidates tried (${r.crack.lists.join(', ')})${r.crack.stopped ? ', stopped' : ', none matched'}`,
        ),
      );
    }
    for (const x of r.findings) {
      lines.push(`${paint[x.severity](x.severity.toUpperCase().padEnd(6))}  ${safeText(x.message)}`);
      lines.push(`        ${st.dim(`fix: ${safeText(x.fix)}`)}`);
    }
    const s = r.summary;
    const total = r.findings.length;
    lines.push(
      total === 0
        ? st.green('no findings')
        : `${total} finding${total === 1 ? '' : 's'}: ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info`,
    );
    return `${lines.join('\n')}\n`;
  },
};

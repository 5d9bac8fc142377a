import { isJotError, type JotError } from '../errors.js';
import { intOption, snapshot } from '../options.js';
import { dpopHeader, headerValues } from './credentials.js';
import { checkProof, checkReplay, DpopRefusal } from './dpop.js';
import { compileDpop } from './dpop-policy.js';
import { requestHtu } from './htu.js';
import type { AuthRequest, DpopOptions } from './types.js';

/** A valid proof at a token endpoint (or none): bind the tokens issued to `jkt` (RFC 9449 section 6). */
export interface DpopProofAccepted {
  /** Accepted. */
  ok: true;
  /** The proof key's RFC 7638 thumbprint; undefined when the request had no `DPoP` header (issue unbound tokens). */
  jkt: string | undefined;
  /** Response headers to add (a fresh `DPoP-Nonce` when nonces are on). */
  headers: Readonly<Record<string, string>>;
}

/**
 * A refused proof: answer `status` with a JSON body holding `error` and `error_description`, and `headers`
 * (RFC 9449 section 5: 400 `invalid_dpop_proof` or `use_dpop_nonce`; 503 when the replay store is unreachable).
 */
export interface DpopProofRefused {
  /** Refused. */
  ok: false;
  /** The HTTP status to answer. */
  status: 400 | 503;
  /** The OAuth error code of the answer. */
  error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'temporarily_unavailable';
  /** A fixed, generic sentence (never the proof). */
  description: string;
  /** Response headers: `Cache-Control: no-store`, and a `DPoP-Nonce` with `use_dpop_nonce`. */
  headers: Readonly<Record<string, string>>;
  /** The underlying JotError, for server logs. */
  cause?: JotError;
}

/** Checks the DPoP proof of a token request (see {@link createDpopProofChecker}). */
export interface DpopProofChecker {
  /** Checks the request's `DPoP` header against its method and URL; never throws. */
  check(request: AuthRequest): Promise<DpopProofAccepted | DpopProofRefused>;
}

/**
 * Check DPoP proofs at an authorization server's token endpoint (RFC 9449 sections 4.3 and 5): the same checks as
 * `authenticate` (typ, asymmetric allowed alg, public `jwk`, signature, `htm`, `htu`, `iat` window, nonce, replay
 * through `replay`) except that the proof must carry no `ath`, as no access token exists yet. A request without a
 * `DPoP` header is accepted with `jkt: undefined` unless `required`. Options are `authenticate`'s `dpop` options.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createDpopProofChecker } from 'jotjs/http';
 *
 * const dpop = createDpopProofChecker();
 * createServer(async (req, res) => {
 *   const r = await dpop.check({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
 *   res.end(r.ok ? `bind the tokens to ${r.jkt ?? 'nothing'}` : r.error);
 * });
 * ```
 */
export function createDpopProofChecker(options: DpopOptions & { maxHeaderLength?: number } = {}): DpopProofChecker {
  const o = snapshot(options, 'createDpopProofChecker() options');
  const maxHeader = intOption(o.maxHeaderLength, 'maxHeaderLength', 16_384, 256, 1_048_576);
  delete o.maxHeaderLength;
  const policy = compileDpop(o)!;
  const nonceHeaders = (now: number): Record<string, string> => {
    const n = policy.nonce?.current(now);
    return n === undefined ? {} : { 'dpop-nonce': n };
  };
  const refused = (r: DpopRefusal, now: number): DpopProofRefused => {
    const base = {
      description: r.description,
      ...(r.cause === undefined ? {} : { cause: r.cause }),
    };
    if (r.error === 'unavailable') {
      return {
        ok: false,
        status: 503,
        error: 'temporarily_unavailable',
        headers: { 'cache-control': 'no-store' },
        ...base,
      };
    }
    return {
      ok: false,
      status: 400,
      error: r.error,
      headers: { 'cache-control': 'no-store', ...nonceHeaders(now) },
      ...base,
    };
  };
  return {
    async check(request) {
      const now = Date.now() / 1000;
      try {
        const header = dpopHeader(request.headers, maxHeader);
        if (header === 'none') {
          if (policy.required) throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is missing');
          return { ok: true, jkt: undefined, headers: {} };
        }
        if (header === 'malformed') throw new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is invalid');
        const host = headerValues(request.headers, 'host');
        const htu = requestHtu(
          String(request.url),
          policy.origin,
          host?.length === 1 ? host[0] : undefined,
          request.protocol,
        );
        const proof = await checkProof(header, policy, String(request.method), htu, undefined, now);
        await checkReplay(policy, proof, now);
        return { ok: true, jkt: proof.jkt, headers: nonceHeaders(now) };
      } catch (e) {
        if (e instanceof DpopRefusal) return refused(e, now);
        return refused(
          new DpopRefusal('invalid_dpop_proof', 'The DPoP proof is invalid', isJotError(e) ? e : undefined),
          now,
        );
      }
    },
  };
}

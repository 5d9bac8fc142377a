import { err, isJotError, type JotError } from '../errors.js';
import { intOption } from '../options.js';
import { dpopHeader, headerValues } from './credentials.js';
import { checkProof, checkReplay, DpopRefusal } from './dpop.js';
import { compileDpop } from './dpop-policy.js';
import { requestHtu } from './htu.js';
import type { AuthRequest, DpopOptions } from './types.js';

/** A valid proof at a token endpoint: bind the tokens issued to `jkt` (`cnf: { jkt }`, RFC 9449 section 6). */
export interface DpopProofAccepted {
  ok: true;
  /** The proof key's RFC 7638 thumbprint; undefined when the request had no `DPoP` header (issue unbound tokens). */
  jkt: string | undefined;
  /** Response headers to add (a fresh `DPoP-Nonce` when nonces are on). */
  headers: Readonly<Record<string, string>>;
}

/**
 * A refused proof: answer `status` with the JSON body `{ error, error_description: description }` and `headers`
 * (RFC 9449 section 5: 400 `invalid_dpop_proof` or `use_dpop_nonce`; 503 when the replay store is unreachable).
 */
export interface DpopProofRefused {
  ok: false;
  status: 400 | 503;
  error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'temporarily_unavailable';
  description: string;
  headers: Readonly<Record<string, string>>;
  /** The underlying JotError, for server logs. */
  cause?: JotError;
}

/** Checks the DPoP proof of a token request (see {@link createDpopProofChecker}). */
export interface DpopProofChecker {
  check(request: AuthRequest): Promise<DpopProofAccepted | DpopProofRefused>;
}

/**
 * Check DPoP proofs at an authorization server's token endpoint (RFC 9449 sections 4.3 and 5): the same checks as
 * `authenticate` (typ, asymmetric allowed alg, public `jwk`, signature, `htm`, `htu`, `iat` window, nonce, replay
 * through `replay`) except that the proof must carry no `ath`, as no access token exists yet. A request without a
 * `DPoP` header is accepted with `jkt: undefined` unless `required`. Options are `authenticate`'s `dpop` options.
 *
 * @example
 * const dpop = createDpopProofChecker({ replay: sqliteStore({ path: 'replay.db' }), origin: 'https://as.example' });
 * const r = await dpop.check({ method: 'POST', url: '/token', headers: req.headers });
 * if (r.ok && r.jkt !== undefined) claims.cnf = { jkt: r.jkt };
 */
export function createDpopProofChecker(options: DpopOptions & { maxHeaderLength?: number } = {}): DpopProofChecker {
  if (typeof options !== 'object' || options === null) throw err('ERR_INVALID_OPTION', 'options must be an object');
  const { maxHeaderLength, ...dpopOptions } = options;
  const policy = compileDpop(dpopOptions)!;
  const maxHeader = intOption(maxHeaderLength, 'maxHeaderLength', 16384, 1, 1 << 20);
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

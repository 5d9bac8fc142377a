import type { JwsAlgorithm } from '../alg/jws.js';
import { sig } from '#crypto/sig';
import { type SigBackend, type SignsToText, signsToText } from '../crypto/backend.js';
import { b64uEncode, b64uEncodeText } from '../encoding/base64url.js';
import { err } from '../errors.js';
import { prepareSign } from '../jws/compact.js';
import { secretOrKey } from '../jws/policy.js';
import { isKey, type Key, type KeyHandle, keyHandle } from '../key/key.js';
import { readOptions, callerError } from '../options.js';
import { keyHeader } from './header.js';
import { buildClaims, compileIssuePolicy, ISSUE_OPTIONS, type IssuePolicy } from './issue.js';
import type { CreateSignerOptions, JwtClaimsInput, JwtSigner, SignJwtOptions } from './types.js';

const SIGN_OPTIONS = ['alg', 'kid', 'typ', 'header', ...ISSUE_OPTIONS] as const;
const SIGN_OPTION_NAMES: ReadonlySet<string> = new Set(SIGN_OPTIONS);
const SIGNER_OPTION_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() => new Set([...SIGN_OPTIONS, 'key']))();

/** A signer compiled once: key checked for the algorithm, header encoded. @internal */
interface CompiledSigner {
  readonly alg: JwsAlgorithm;
  readonly key: Key;
  /** The key's material, taken once: no look-up per token. */
  readonly handle: KeyHandle;
  readonly headerSegment: string;
  readonly issue: IssuePolicy;
}

function compile(o: Record<string, unknown>, material: unknown): CompiledSigner {
  const key = secretOrKey(material, o.alg);
  if (!isKey(key)) keyHandle(key); // throws ERR_KEY_INVALID without touching the object
  const k = key as Key;
  const header = keyHeader(o, k);
  const issue = compileIssuePolicy(o);
  const { alg, segment, b64 } = prepareSign(header, k);
  if (!b64) throw err('ERR_INVALID_OPTION', 'JWTs always use a base64url payload');
  return { alg, key: k, handle: keyHandle(k), headerSegment: segment, issue };
}

function signingInput(s: CompiledSigner, claims: unknown): string {
  return `${s.headerSegment}.${b64uEncodeText(buildClaims(claims, s.issue))}`;
}

/** The signature as text straight from the backend when it can (a feature test, once): no bytes made only to be encoded. */
const signSyncText: (s: CompiledSigner, input: string) => string = signsToText(sig)
  ? (s, input) => (sig as SigBackend & SignsToText).signSyncB64u(s.alg, s.handle, input)
  : (s, input) => b64uEncode(sig.signSync(s.alg, s.handle, input));

/**
 * The compact token, async: with a synchronous backend a MAC is computed at once (it costs less than a thread-pool
 * hop); asymmetric signatures run on the backend's thread pool.
 */
async function signAsync(s: CompiledSigner, claims: unknown): Promise<string> {
  const input = signingInput(s, claims);
  if (s.alg.family === 'hmac' && sig.sync) return `${input}.${signSyncText(s, input)}`;
  return `${input}.${b64uEncode(await sig.sign(s.alg, s.handle, input))}`;
}

/**
 * Sign a claims set as a compact JWT (JWS). The algorithm defaults to the key's bound algorithm, `kid` to the key's
 * `kid`, `typ` to `'JWT'`, and `iat` to now. Throws `ERR_INVALID_OPTION` for unusable options (including a duration
 * that does not parse), `ERR_JWT_INVALID` for unusable claims, `ERR_KEY_INVALID` / `ERR_JOSE_ALG_NOT_ALLOWED` when
 * the key cannot sign with the algorithm.
 *
 * @example
 * ```ts
 * import { signJwt } from 'jotjs';
 * const token = await signJwt({ scope: 'read' }, privateKey, {
 *   issuer: 'https://idp.example', audience: 'api', subject: 'user-1', expiresIn: '15m', typ: 'at+jwt',
 * });
 * ```
 */
export async function signJwt<T extends object>(
  claims: JwtClaimsInput<T>,
  key: Key | Uint8Array,
  options?: SignJwtOptions,
): Promise<string> {
  try {
    return await signAsync(compile(readOptions(options, SIGN_OPTION_NAMES, 'signJwt'), key), claims);
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Compile signing options once and return a fast signer: the key is checked and the header encoded up front, each
 * call only serializes the claims and signs. `signSync` works with the node:crypto backend.
 *
 * @example
 * ```ts
 * import { createSigner } from 'jotjs';
 * const signer = createSigner({ key: privateKey, issuer: 'https://idp.example', audience: 'api', expiresIn: '15m' });
 * const token = signer.signSync({ sub: 'user-1' });
 * ```
 */
export function createSigner(options: CreateSignerOptions): JwtSigner {
  try {
    const o = readOptions(options, SIGNER_OPTION_NAMES, 'createSigner');
    const key = o.key;
    delete o.key;
    const s = compile(o, key);
    return Object.freeze({
      sign<T extends object>(claims: JwtClaimsInput<T>): Promise<string> {
        return signAsync(s, claims);
      },
      signSync<T extends object>(claims: JwtClaimsInput<T>): string {
        if (!sig.sync) {
          throw err('ERR_JOSE_NOT_SUPPORTED', 'this runtime cannot sign synchronously: use the async sign()');
        }
        const input = signingInput(s, claims);
        return `${input}.${signSyncText(s, input)}`;
      },
    });
  } catch (e) {
    throw callerError(e);
  }
}

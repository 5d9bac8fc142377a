import type { JwsAlgorithm } from '../alg/jws.js';
import { backend } from '../crypto/active.js';
import type { CryptoBackend, SignsToText } from '../crypto/backend.js';
import { b64uEncode, b64uEncodeText } from '../encoding/base64url.js';
import { err } from '../errors.js';
import { prepareSign } from '../jws/compact.js';
import { secretOrKey } from '../jws/policy.js';
import { isKey, type Key, keyHandle } from '../key/key.js';
import { readOptions, callerError } from '../options.js';
import { keyHeader } from './header.js';
import { buildClaims, compileIssuePolicy, ISSUE_OPTIONS, type IssuePolicy } from './issue.js';
import type { CreateSignerOptions, JwtClaimsInput, JwtSigner, SignJwtOptions } from './types.js';

const SIGN_OPTIONS = ['alg', 'kid', 'typ', 'header', ...ISSUE_OPTIONS] as const;
const SIGN_OPTION_NAMES: ReadonlySet<string> = new Set(SIGN_OPTIONS);
const SIGNER_OPTION_NAMES: ReadonlySet<string> = new Set([...SIGN_OPTIONS, 'key']);

/** A signer compiled once: key checked for the algorithm, header encoded. @internal */
interface CompiledSigner {
  readonly alg: JwsAlgorithm;
  readonly key: Key;
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
  return { alg, key: k, headerSegment: segment, issue };
}

function signingInput(s: CompiledSigner, claims: unknown): string {
  return `${s.headerSegment}.${b64uEncodeText(buildClaims(claims, s.issue))}`;
}

type TextBackend = CryptoBackend & Partial<SignsToText>;

/** The signature as text straight from the backend when it can: no bytes made only to be encoded. */
function signSyncText(b: TextBackend, s: CompiledSigner, input: string): string {
  return b.signSyncB64u === undefined
    ? b64uEncode(b.signSync(s.alg, s.key, input))
    : b.signSyncB64u(s.alg, s.key, input);
}

/**
 * The compact token, async: a MAC is computed at once (it costs less than a thread-pool hop); asymmetric signatures
 * run on the backend's thread pool.
 */
async function signAsync(s: CompiledSigner, claims: unknown): Promise<string> {
  const input = signingInput(s, claims);
  const b = backend() as TextBackend;
  if (s.alg.family === 'hmac' && b.sync) return `${input}.${signSyncText(b, s, input)}`;
  return `${input}.${b64uEncode(await b.sign(s.alg, s.key, input))}`;
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
        const b = backend() as CryptoBackend & Partial<SignsToText>;
        if (!b.sync) throw err('ERR_JOSE_NOT_SUPPORTED', 'this crypto backend cannot sign synchronously');
        const input = signingInput(s, claims);
        // The signature as text straight from the backend when it can: no bytes made only to be encoded.
        const sig =
          b.signSyncB64u === undefined
            ? b64uEncode(b.signSync(s.alg, s.key, input))
            : b.signSyncB64u(s.alg, s.key, input);
        return `${input}.${sig}`;
      },
    });
  } catch (e) {
    throw callerError(e);
  }
}

import { err } from '../errors.js';
import type { KeyResolver } from '../jws/policy.js';
import type { Key } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { loadDecrypter } from './lazy.js';
import { compileReadJwePolicy, JWE_DECRYPT_OPTIONS } from './policy.js';
import type { CompactDecryptResult, JweDecryptOptions } from './types.js';

/** Options of {@link createDecrypter}: the decrypt options of {@link decryptCompact}, plus the key. */
export interface CreateDecrypterOptions extends JweDecryptOptions {
  /** The private key, secret or key resolver every token is decrypted with. */
  key: Key | KeyResolver;
}

/** A compact-JWE decrypter whose options were checked once (see {@link createDecrypter}). */
export interface JweDecrypter {
  /** {@link decryptCompact} of `jwe` with the compiled options and key. */
  decrypt(jwe: string): Promise<CompactDecryptResult>;
}

// Pure (an annotated call without arguments): a bundle that never decrypts drops it; a spread in the arguments of a
// top-level `new Set` would be kept for the iteration it performs.
const OPTION_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() => new Set([...JWE_DECRYPT_OPTIONS, 'key']))();

/**
 * Compile compact-JWE decrypt options once and return a decrypter: the allow-lists turned into sets, the limits
 * read, and a fixed key checked against the key policy once per key management algorithm. Each `decrypt` then does
 * exactly what {@link decryptCompact} does with the same options (the same format rules, limits, allow-lists and
 * one `ERR_JWE_DECRYPTION_FAILED` for every authentication or unwrapping failure), with one promise and no
 * per-call option work. The protected headers of recent tokens are parsed once (at most 32 kept): a result's
 * `protectedHeader` is then deep-frozen and shared by the results of tokens with the same header, as with
 * `createVerifier`. A key resolver is asked for every token, as `decryptCompact` does.
 *
 * @example
 * ```ts
 * import { createDecrypter } from 'jotjs';
 * const decrypter = createDecrypter({ key: privateKey, keyManagementAlgorithms: ['ECDH-ES+A256KW'] });
 * const { plaintext, protectedHeader } = await decrypter.decrypt(jwe);
 * ```
 */
export function createDecrypter(options: CreateDecrypterOptions): JweDecrypter {
  let key: unknown;
  let policy: ReturnType<typeof compileReadJwePolicy>;
  try {
    const o = readOptions(options, OPTION_NAMES, 'createDecrypter');
    if (o.key === undefined) throw err('ERR_INVALID_OPTION', 'createDecrypter() needs { key }');
    key = o.key;
    // The allow-lists are read here, not by readOptions: a getter or Proxy trap inside them throws from here.
    policy = compileReadJwePolicy(o, key);
  } catch (e) {
    throw callerError(e);
  }
  // The machinery is loaded by the first decrypt(); from then on each call goes straight to the compiled decrypter.
  let compiled: JweDecrypter | undefined;
  let loading: Promise<JweDecrypter> | undefined;
  const load = (): Promise<JweDecrypter> =>
    (loading ??= loadDecrypter().then((m) => {
      compiled =
        typeof key === 'function'
          ? m.resolverDecrypter(key as KeyResolver, policy)
          : m.fixedKeyDecrypter(key as Key, policy);
      return compiled;
    }));
  return {
    decrypt(jwe: string): Promise<CompactDecryptResult> {
      if (compiled !== undefined) return compiled.decrypt(jwe);
      return load().then(
        (d) => d.decrypt(jwe),
        (e: unknown) => {
          throw callerError(e);
        },
      );
    },
  };
}

import {
  CONTENT_ENCRYPTION_ALGORITHMS,
  findContentEncryptionAlgorithm,
  findKeyManagementAlgorithm,
  type KeyManagementAlgorithm,
} from '../alg/jwe.js';
import { own } from '../encoding/json.js';
import { err, type JotError } from '../errors.js';
import { isKey, type Key, keyHandle } from '../key/key.js';
import { intOption, readOptions } from '../options.js';

export const DEFAULT_MAX_PBES2_COUNT = 10_000;
/** No PBES2 count above this is ever accepted (draft-ietf-oauth-rfc8725bis section 3.13). */
export const PBES2_COUNT_CEILING = 1_200_000;
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 250_000;
export const DEFAULT_MAX_JWE_LENGTH = 262_144;
export const DEFAULT_MAX_RECIPIENTS = 10;

/** Names of the JWE decrypt options (decryptJwt adds the claim options to these). */
export const JWE_DECRYPT_OPTIONS = [
  'keyManagementAlgorithms',
  'contentEncryptionAlgorithms',
  'maxPbes2Count',
  'maxDecompressedBytes',
  'allowZip',
  'maxTokenLength',
  'maxRecipients',
  'crit',
] as const;

// Pure: a bundle that never decrypts drops it (bundlers keep a top-level `new` unless told).
const OPTION_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(JWE_DECRYPT_OPTIONS);

/** Decrypt options checked and turned into lookups once. @internal */
export interface JwePolicy {
  readonly keyManagement: ReadonlySet<string> | undefined;
  readonly content: ReadonlySet<string>;
  readonly maxPbes2Count: number;
  readonly maxDecompressedBytes: number;
  readonly allowZip: boolean;
  readonly maxTokenLength: number;
  readonly maxRecipients: number;
  readonly understood: ReadonlySet<string>;
}

function algorithmList(value: unknown, name: string, known: (a: unknown) => boolean): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw err('ERR_INVALID_OPTION', `${name} must be a non-empty array`);
  for (const a of value) if (!known(a)) throw err('ERR_INVALID_OPTION', `${name} lists an unknown algorithm`);
  return new Set(value as string[]);
}

function critOption(value: unknown): ReadonlySet<string> {
  const understood = new Set<string>();
  if (value === undefined) return understood;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw err('ERR_INVALID_OPTION', 'crit must be an object');
  }
  for (const name of Object.keys(value)) {
    const v = own(value, name);
    if (typeof v !== 'boolean') throw err('ERR_INVALID_OPTION', 'crit values must be booleans');
    if (v) understood.add(name);
  }
  return understood;
}

/** Read and check decrypt options; a static key must be bound unless `keyManagementAlgorithms` is given. */
export function compileJwePolicy(options: unknown, keyOrResolver: unknown): JwePolicy {
  return compileReadJwePolicy(readOptions(options, OPTION_NAMES, 'decrypt'), keyOrResolver);
}

/** {@link compileJwePolicy} of options already read (null prototype); names of other options are ignored. @internal */
export function compileReadJwePolicy(o: Record<string, unknown>, keyOrResolver: unknown): JwePolicy {
  const keyManagement = algorithmList(
    o.keyManagementAlgorithms,
    'keyManagementAlgorithms',
    (a) => findKeyManagementAlgorithm(a) !== undefined,
  );
  const content =
    algorithmList(
      o.contentEncryptionAlgorithms,
      'contentEncryptionAlgorithms',
      (a) => findContentEncryptionAlgorithm(a) !== undefined,
    ) ?? new Set(Object.keys(CONTENT_ENCRYPTION_ALGORITHMS));
  if (o.allowZip !== undefined && typeof o.allowZip !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'allowZip must be a boolean');
  }
  if (typeof keyOrResolver !== 'function') {
    if (!isKey(keyOrResolver)) keyHandle(keyOrResolver); // throws ERR_KEY_INVALID
    if (keyManagement === undefined && (keyOrResolver as Key).alg === undefined) {
      throw err('ERR_INVALID_OPTION', 'pass options.keyManagementAlgorithms, or a key bound to one algorithm');
    }
  }
  return {
    keyManagement,
    content,
    maxPbes2Count: intOption(o.maxPbes2Count, 'maxPbes2Count', DEFAULT_MAX_PBES2_COUNT, 1, PBES2_COUNT_CEILING),
    maxDecompressedBytes: intOption(
      o.maxDecompressedBytes,
      'maxDecompressedBytes',
      DEFAULT_MAX_DECOMPRESSED_BYTES,
      1,
      1 << 30,
    ),
    allowZip: o.allowZip === true,
    maxTokenLength: intOption(o.maxTokenLength, 'maxTokenLength', DEFAULT_MAX_JWE_LENGTH, 16, 1 << 30),
    maxRecipients: intOption(o.maxRecipients, 'maxRecipients', DEFAULT_MAX_RECIPIENTS, 1, 1000),
    understood: critOption(o.crit),
  };
}

/**
 * The key management allow-list: an explicit list decides; without one, the key's binding decides (checked
 * with the key), except for algorithms that must always be listed explicitly (PBES2, RSA1_5).
 */
export function assertKeyManagementAllowed(alg: KeyManagementAlgorithm, policy: JwePolicy): void {
  if (policy.keyManagement !== undefined) {
    if (!policy.keyManagement.has(alg.name)) {
      throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the key management algorithm is not allowed');
    }
  } else if (alg.explicitOnly === true) {
    throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'this key management algorithm must be listed in keyManagementAlgorithms');
  }
}

/** The one error of every unwrap, authentication, padding and decryption failure: same code, same message. */
export function decryptionFailed(): JotError {
  return err('ERR_JWE_DECRYPTION_FAILED', 'decryption failed');
}

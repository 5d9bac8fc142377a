import type { JoseHeader } from '../jws/header.js';
import type { Key } from '../key/key.js';
import type { JWK } from '../key/jwk.js';

/** A JWE header (RFC 7516 section 4, RFC 7518 section 4). Members are untrusted input on decryption. */
export type JweHeader = JoseHeader & {
  alg?: string;
  enc?: string;
  zip?: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  epk?: JWK;
  apu?: string;
  apv?: string;
  p2s?: string;
  p2c?: number;
  iv?: string;
  tag?: string;
};

/** One recipient of a General JSON JWE (RFC 7516 section 7.2.1). */
export interface JweRecipient {
  /** The recipient's unprotected header (`alg`, `kid`, `epk`, ...). */
  header?: Record<string, unknown>;
  /** The content encryption key encrypted to this recipient, base64url (absent for `dir` and `ECDH-ES`). */
  encrypted_key?: string;
}

/** Members shared by both JSON serializations. */
export interface JweJsonShared {
  /** The protected header, as base64url of its JSON. */
  protected?: string;
  /** The shared unprotected header. */
  unprotected?: Record<string, unknown>;
  /** The initialization vector, base64url. */
  iv: string;
  /** The ciphertext, base64url. */
  ciphertext: string;
  /** The authentication tag, base64url. */
  tag: string;
  /** Additional authenticated data, base64url (JSON serializations only). */
  aad?: string;
}

/** A JWE in the general JSON serialization: one ciphertext for several recipients (RFC 7516 section 7.2.1). */
export interface GeneralJWE extends JweJsonShared {
  /** One entry per recipient; decryption tries at most `maxRecipients` of them. */
  recipients: JweRecipient[];
}

/** A JWE in the flattened JSON serialization: one recipient (RFC 7516 section 7.2.2). */
export interface FlattenedJWE extends JweJsonShared, JweRecipient {}

/**
 * Decryption options. Each one guards against a published attack class (see docs/jwe.md).
 */
export interface JweDecryptOptions {
  /**
   * Accepted `alg` values, exact and case-sensitive. May be omitted only when the key is bound to one
   * algorithm. PBES2 and RSA1_5 are accepted only when listed here (a bound key is not enough).
   */
  keyManagementAlgorithms?: readonly string[];
  /** Accepted `enc` values (default: all six). */
  contentEncryptionAlgorithms?: readonly string[];
  /** Highest accepted PBES2 `p2c` (default 10,000; at most 1,200,000). Guards against the billion-hash attack. */
  maxPbes2Count?: number;
  /** Largest decompressed plaintext in bytes for `zip: "DEF"` (default 250,000), enforced while inflating. */
  maxDecompressedBytes?: number;
  /** Accept compressed (`zip: "DEF"`) plaintext (default false: compression bombs and CRIME-style leaks). */
  allowZip?: boolean;
  /** Longest accepted serialization, in characters (default 262,144). Checked before anything else. */
  maxTokenLength?: number;
  /** Most recipients in a General JSON JWE (default 10); each may cost a key unwrap. */
  maxRecipients?: number;
  /** Critical header extensions the caller understands and checks itself (own, true-valued members). */
  crit?: Readonly<Record<string, boolean>>;
}

/** Result of {@link decryptCompact}. `key` is the key that decrypted. */
export interface CompactDecryptResult {
  /** The decrypted plaintext bytes. */
  plaintext: Uint8Array;
  /** The protected header. */
  protectedHeader: JweHeader;
  /** The key that decrypted it. */
  key: Key;
}

/** Result of {@link decryptJson}: the headers of the recipient that decrypted. */
export interface JsonDecryptResult {
  /** The decrypted plaintext bytes. */
  plaintext: Uint8Array;
  /** The protected header (empty when the JWE has none). */
  protectedHeader: JweHeader;
  /** The shared unprotected header (`unprotected`). */
  unprotectedHeader: Record<string, unknown> | undefined;
  /** The per-recipient unprotected header of the recipient that decrypted. */
  header: Record<string, unknown> | undefined;
  /** The decoded `aad` member, when present. */
  aad?: Uint8Array;
  /** The key that decrypted it. */
  key: Key;
}

/** One recipient of {@link encryptJson}. */
export interface JsonEncryptRecipient {
  /** Per-recipient unprotected header (`alg`, `kid`, ...). */
  header?: Record<string, unknown>;
  /** The recipient's public key (RSA, EC, OKP), or the shared secret (AES-KW, GCMKW, `dir`, PBES2 password). */
  key: Key;
}

/** What {@link encryptJson} encrypts to. */
export interface JsonEncryptInput {
  /** Must carry `enc`, and `zip` when compressing. */
  protectedHeader?: JweHeader;
  /** The shared unprotected header (`unprotected`). */
  unprotectedHeader?: Record<string, unknown>;
  /** Additional authenticated data (the JSON-only `aad` member). */
  aad?: Uint8Array | string;
  /** The recipients: each gets the content encryption key under its own `alg` and key. */
  recipients: readonly JsonEncryptRecipient[];
}

/** Options of {@link encryptJson}. */
export interface JsonEncryptOptions {
  /** Produce the flattened serialization (exactly one recipient). */
  flattened?: boolean;
}

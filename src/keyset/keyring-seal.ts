import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../alg/jwe.js';
import { toBytes, utf8Decode } from '../encoding/utf8.js';
import { err, JotError } from '../errors.js';
import { decryptCompact } from '../jwe/api.js';
import { encryptCompact } from '../jwe/api.js';
import { importKeySync } from '../key/import.js';
import { isKey, type Key, keyHandle } from '../key/key.js';

/** PBES2 iterations for a passphrase-sealed ring (OWASP's figure for PBKDF2-HMAC-SHA-512). */
export const KEYRING_PBES2_COUNT = 210_000;
/** Largest sealed document accepted. */
const MAX_SEALED = 16 * 1024 * 1024;

/** A 256-bit key-management algorithm of `family`, found by its table entry (never by name). */
function kmByFamily(family: 'aes-gcm-kw' | 'pbes2'): string {
  const a = Object.values(KEY_MANAGEMENT_ALGORITHMS).find((x) => x.family === family && x.kwBytes === 32);
  return a!.name;
}
const GCM_KW = kmByFamily('aes-gcm-kw');
const PBES2 = kmByFamily('pbes2');
const GCM_256 = Object.values(CONTENT_ENCRYPTION_ALGORITHMS).find(
  (x) => x.family === 'aes-gcm' && x.keyBytes === 32,
)!.name;

/** How a ring's document is protected at rest. @internal */
export interface Sealer {
  readonly plain: boolean;
  seal(text: string): Promise<string>;
  open(data: string): Promise<string>;
}

/**
 * The sealer for the caller's choice: a 256-bit key (a `Key` or 32 bytes) seals with A256GCMKW + A256GCM, a
 * passphrase with PBES2-HS512+A256KW (210,000 iterations) + A256GCM; both authenticate the whole document, so an
 * edited ring (an inserted key) is refused. `plain` keeps the document readable: only on explicit request.
 * @internal
 */
export function sealer(encryptionKey: unknown, passphrase: unknown, plain: boolean): Sealer {
  const given = Number(encryptionKey !== undefined) + Number(passphrase !== undefined) + Number(plain);
  if (given > 1) throw err('ERR_INVALID_OPTION', 'pass one of encryptionKey, passphrase or insecurePlaintext');
  if (plain) return { plain: true, seal: async (t) => t, open: async (d) => d };
  let key: Key;
  let alg: string;
  let p2c: number | undefined;
  if (passphrase !== undefined) {
    if (typeof passphrase !== 'string' || passphrase.length < 16) {
      throw err('ERR_INVALID_OPTION', 'passphrase must be a string of at least 16 characters');
    }
    alg = PBES2;
    p2c = KEYRING_PBES2_COUNT;
    key = importKeySync(toBytes(passphrase, 'ERR_INVALID_OPTION'), { alg });
  } else {
    alg = GCM_KW;
    if (isKey(encryptionKey)) {
      if (encryptionKey.kty !== 'oct' || keyHandle(encryptionKey).secret?.byteLength !== 32) {
        throw err('ERR_INVALID_OPTION', 'encryptionKey must be a 256-bit secret');
      }
      key = importKeySync(keyHandle(encryptionKey).secret!, { alg });
    } else if (encryptionKey instanceof Uint8Array && encryptionKey.byteLength === 32) {
      key = importKeySync(encryptionKey, { alg });
    } else {
      throw err('ERR_INVALID_OPTION', 'encryptionKey must be a 256-bit secret (a Key or 32 bytes)');
    }
  }
  const header = { alg, enc: GCM_256, cty: 'jot-keyring+json', ...(p2c === undefined ? {} : { p2c }) };
  const policy = {
    keyManagementAlgorithms: [alg],
    contentEncryptionAlgorithms: [GCM_256],
    maxTokenLength: MAX_SEALED,
    ...(p2c === undefined ? {} : { maxPbes2Count: p2c }),
  };
  return {
    plain: false,
    seal: (text) => encryptCompact(text, header, key),
    async open(data) {
      try {
        const { plaintext } = await decryptCompact(data, key, policy);
        return utf8Decode(plaintext, 'ERR_KEY_INVALID', 'key ring');
      } catch (e) {
        if (e instanceof JotError && e.code === 'ERR_KEY_INVALID') throw e;
        throw err('ERR_KEY_INVALID', 'the stored key ring cannot be opened: wrong key, or the document was altered', e);
      }
    },
  };
}

import { digest } from '#crypto/digest';
import { syncDigest } from '#crypto/sync-digest';
import { b64uDecode, b64uEncode, isB64u } from '../encoding/base64url.js';
import { err } from '../errors.js';
import { readOptions } from '../options.js';

const NONCE_OPTIONS: ReadonlySet<string> = new Set(['secret', 'lifetime']);

/** Stateless DPoP server nonces (RFC 9449 section 9). @internal */
export interface NonceSource {
  /** The current nonce. */
  current(nowSeconds: number): string;
  /** Is `nonce` the current or the previous one? */
  accepts(nonce: unknown, nowSeconds: number): boolean;
}

/**
 * A nonce is `slot.mac`: the time slot (now / lifetime) and an HMAC-SHA-256 of it under the secret, truncated to
 * 128 bits. Instances sharing the secret agree without talking to each other; the current and previous slots are
 * accepted, so a nonce lives between one and two lifetimes. @internal
 */
export function createNonceSource(option: unknown): NonceSource {
  let secret: Uint8Array | undefined;
  let lifetime = 60;
  if (option !== true) {
    if (typeof option !== 'object' || option === null || Array.isArray(option)) {
      throw err('ERR_INVALID_OPTION', 'dpop.nonce must be true or { secret?, lifetime? }');
    }
    const o = readOptions(option, NONCE_OPTIONS, 'dpop.nonce') as { secret?: unknown; lifetime?: unknown };
    if (o.secret !== undefined) {
      if (!(o.secret instanceof Uint8Array) || o.secret.byteLength < 32) {
        throw err('ERR_INVALID_OPTION', 'dpop.nonce.secret must be a Uint8Array of at least 32 bytes');
      }
      secret = new Uint8Array(o.secret);
    }
    if (o.lifetime !== undefined) {
      if (typeof o.lifetime !== 'number' || !Number.isSafeInteger(o.lifetime) || o.lifetime < 1 || o.lifetime > 86400) {
        throw err('ERR_INVALID_OPTION', 'dpop.nonce.lifetime must be an integer from 1 to 86400 seconds');
      }
      lifetime = o.lifetime;
    }
  }
  const key = secret ?? digest.randomBytes(32);
  const mac = (slot: number): Uint8Array => syncDigest.hmacSha256(key, `jot-dpop-nonce:${slot}`).subarray(0, 16);
  let cached: { slot: number; nonce: string } | undefined;
  const forSlot = (slot: number): string => {
    if (cached?.slot === slot) return cached.nonce;
    const nonce = `${slot.toString(36)}.${b64uEncode(mac(slot))}`;
    cached = { slot, nonce };
    return nonce;
  };
  return {
    current: (now) => forSlot(Math.floor(now / lifetime)),
    accepts(nonce, now) {
      if (typeof nonce !== 'string' || nonce.length > 64) return false;
      const dot = nonce.indexOf('.');
      if (dot <= 0) return false;
      const slotText = nonce.slice(0, dot);
      if (!/^[0-9a-z]{1,12}$/.test(slotText)) return false;
      const slot = Number.parseInt(slotText, 36);
      const currentSlot = Math.floor(now / lifetime);
      if (slot !== currentSlot && slot !== currentSlot - 1) return false;
      const macText = nonce.slice(dot + 1);
      if (!/^[A-Za-z0-9_-]{22}$/.test(macText)) return false;
      // 22 characters of the alphabet, canonical (the last one's spare bits zero): 16 bytes.
      if (!isB64u(macText)) return false;
      return digest.timingSafeEqual(b64uDecode(macText, 'ERR_INVALID_OPTION', 'nonce'), mac(slot));
    },
  };
}

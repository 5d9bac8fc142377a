/**
 * Key material pasted on the page. The format is chosen by the user, never guessed from the text: a key's text
 * must not turn into an HMAC secret by accident (the RS256-to-HS256 confusion, attacks.md A04 and A05).
 */
import { createLocalJwkSet, importKey, type Key, type KeyResolver } from 'jotjs';
import { utf8 } from './dom.js';

export type KeyFormat = 'jwk' | 'pem' | 'text' | 'b64u';

/** Base64url text to bytes, strictly (no padding, no other alphabet). */
export function fromB64u(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('the secret is not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * A key (or, for a JWKS, a resolver that selects by kid, alg and use) from pasted text in the chosen format. `alg`
 * binds a single key to one algorithm when the user chose exactly one.
 */
export async function readKey(text: string, format: KeyFormat, alg?: string): Promise<Key | KeyResolver> {
  if (text === '') throw new Error('paste a key first');
  const options = alg === undefined ? {} : { alg };
  switch (format) {
    case 'jwk': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        throw new Error('the key is not JSON: paste a JWK or a JWKS, or choose another format');
      }
      if (typeof doc === 'object' && doc !== null && Array.isArray((doc as { keys?: unknown }).keys)) {
        return createLocalJwkSet(text); // parsed again, strictly (duplicate names, sizes)
      }
      return importKey(doc as Parameters<typeof importKey>[0], options);
    }
    case 'pem':
      return importKey(text, options);
    case 'text':
      return importKey(utf8(text), options);
    case 'b64u':
      return importKey(fromB64u(text), options);
  }
}

/** The algorithm list typed in a field ("ES256, RS256" or one per line). */
export const algList = (text: string): string[] => text.split(/[\s,]+/).filter((s) => s !== '');

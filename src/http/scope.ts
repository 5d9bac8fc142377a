import { own } from '../encoding/json.js';
import { err } from '../errors.js';
import type { JwtClaims } from '../jwt/types.js';

/** RFC 6749 section 3.3 `scope-token`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** A `scopes` option checked: a list of scope tokens, deduplicated and frozen. Throws `ERR_INVALID_OPTION`. @internal */
export function scopesOption(value: unknown, name = 'scopes'): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value)) throw err('ERR_INVALID_OPTION', `${name} must be an array of scope tokens`);
  const out = new Set<string>();
  for (const s of value) {
    if (typeof s !== 'string' || !SCOPE_TOKEN.test(s)) {
      throw err('ERR_INVALID_OPTION', `${name} must hold scope tokens (printable ASCII, no space, " or \\)`);
    }
    out.add(s);
  }
  return Object.freeze([...out]);
}

/**
 * The token's granted scopes: the `scope` claim (a space-separated string, RFC 8693 / RFC 9068) or else the `scp`
 * claim (an array of strings). `undefined` when a claim has the wrong JSON type (the token is then invalid). @internal
 */
export function grantedScopes(claims: JwtClaims): ReadonlySet<string> | undefined {
  const scope = own(claims, 'scope');
  if (scope !== undefined) {
    if (typeof scope !== 'string') return undefined;
    return new Set(scope.split(' ').filter((s) => s !== ''));
  }
  const scp = own(claims, 'scp');
  if (scp !== undefined) {
    if (!Array.isArray(scp) || !scp.every((s) => typeof s === 'string')) return undefined;
    return new Set(scp as string[]);
  }
  return new Set();
}

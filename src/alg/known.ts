import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from './jwe.js';
import { JWS_ALGORITHMS } from './jws.js';

/**
 * Is `name` any registered JOSE algorithm or encryption identifier (JWS `alg`, JWE `alg` or `enc`)?
 *
 * @example
 * ```ts
 * import { isKnownAlgorithm } from 'jotjs';
 * isKnownAlgorithm('A256GCM'); // true
 * isKnownAlgorithm('none'); // false: the unsecured algorithm has its own functions
 * ```
 */
export function isKnownAlgorithm(name: string): boolean {
  if (typeof name !== 'string') return false;
  return name in JWS_ALGORITHMS || name in KEY_MANAGEMENT_ALGORITHMS || name in CONTENT_ENCRYPTION_ALGORITHMS;
}

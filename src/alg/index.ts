export * from './jwe.js';
export * from './jws.js';

import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from './jwe.js';
import { JWS_ALGORITHMS } from './jws.js';

/** Is `name` any registered JOSE algorithm or encryption identifier? */
export function isKnownAlgorithm(name: string): boolean {
  if (typeof name !== 'string') return false;
  return name in JWS_ALGORITHMS || name in KEY_MANAGEMENT_ALGORITHMS || name in CONTENT_ENCRYPTION_ALGORITHMS;
}

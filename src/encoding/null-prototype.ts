/**
 * A null-prototype copy of `o`, for the options objects jot hands to node:crypto and node:zlib: node reads their
 * members through the prototype chain, so a polluted `Object.prototype` (`padding`, `type`, `passphrase`, `info`,
 * `maxOutputLength`...) could otherwise change paddings and encodings, abort the process, or empty a plaintext (A38).
 */
export function bare<T extends object>(o: T): T {
  return Object.assign(Object.create(null) as T, o);
}

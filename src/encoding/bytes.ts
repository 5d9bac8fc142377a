// Joining byte arrays: the one loop behind signing inputs, DER, JWE MACs and streamed bodies.

/**
 * The bytes of every part, in order, in one fresh array (never one of the parts, even when there is only one).
 * Takes an array rather than arguments, so that any number of parts is fine. @internal
 */
export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Just enough DER (ITU-T X.690) to walk a structure: definite lengths and low tag numbers only, every element
 * inside its parent, a bounded number of children. Used to recognise key text (key/key-text.ts) and to read a
 * certificate's KeyUsage (keyset/der.ts). Nothing here allocates beyond the small element records.
 */

/** One DER element: its tag and the range of its content bytes. */
export interface Tlv {
  readonly tag: number;
  /** First content byte. */
  readonly start: number;
  /** One past the last content byte. */
  readonly end: number;
}

/** The most children {@link derChildren} reads from one element. */
const MAX_CHILDREN = 64;

/** The DER element at `off` that ends at or before `limit`, or undefined. */
export function derElement(b: Uint8Array, off: number, limit: number): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers: never needed here
  let len = b[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  const end = start + len;
  return end <= limit ? { tag, start, end } : undefined;
}

/** The elements that exactly fill [start, end) (at most 64), or undefined. */
export function derChildren(b: Uint8Array, start: number, end: number): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let off = start; off < end; ) {
    const t = derElement(b, off, end);
    if (t === undefined || out.length >= MAX_CHILDREN) return undefined;
    out.push(t);
    off = t.end;
  }
  return out;
}

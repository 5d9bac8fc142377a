/** A certificate's KeyUsage extension (node's X509Certificate does not expose it), read with the shared DER walker. */
import { derChildren, derElement, type Tlv } from '../encoding/der.js';

/** The children of `parent`, or none when they do not exactly fill it. */
function children(b: Uint8Array, parent: Tlv): Tlv[] {
  return derChildren(b, parent.start, parent.end) ?? [];
}

const KEY_USAGE_OID = [0x55, 0x1d, 0x0f]; // 2.5.29.15

/**
 * The KeyUsage bits of a DER certificate as a number (bit 0 = digitalSignature ... bit 8 = decipherOnly, in
 * RFC 5280 order), undefined when the extension is absent, null when the certificate cannot be read.
 */
export function keyUsageBits(der: Uint8Array): number | undefined | null {
  const cert = derElement(der, 0, der.length);
  if (cert === undefined || cert.tag !== 0x30) return null;
  const tbs = children(der, cert)[0];
  if (tbs === undefined || tbs.tag !== 0x30) return null;
  const ext = children(der, tbs).find((t) => t.tag === 0xa3);
  if (ext === undefined) return undefined;
  const list = children(der, ext)[0];
  if (list === undefined || list.tag !== 0x30) return null;
  for (const e of children(der, list)) {
    const parts = children(der, e);
    const oid = parts[0];
    if (oid === undefined || oid.tag !== 0x06 || oid.end - oid.start !== 3) continue;
    if (!KEY_USAGE_OID.every((v, i) => der[oid.start + i] === v)) continue;
    const value = parts[parts.length - 1];
    if (value === undefined || value.tag !== 0x04) return null;
    const bits = derElement(der, value.start, value.end);
    if (bits === undefined || bits.tag !== 0x03 || bits.end - bits.start < 1) return null;
    let v = 0;
    // Bit 0 is the most significant bit of the first content byte.
    for (let i = 1; i < bits.end - bits.start && i <= 2; i++) {
      const byte = der[bits.start + i]!;
      for (let j = 0; j < 8; j++) if (byte & (0x80 >> j)) v |= 1 << ((i - 1) * 8 + j);
    }
    return v;
  }
  return undefined;
}

export const DIGITAL_SIGNATURE = 1 << 0;
export const KEY_CERT_SIGN = 1 << 5;

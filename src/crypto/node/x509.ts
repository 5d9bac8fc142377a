// X.509 over node:crypto's X509Certificate (`#crypto/x509`, node): OpenSSL parses each certificate too, and checks
// that the issuer issued the child (names, key identifiers, usage) and its signature.
import { X509Certificate } from 'node:crypto';
import type { X509Backend } from '../backend.js';
import type { Certificate } from '../cert.js';
import { err } from '../../errors.js';

const parsed = /* @__PURE__ */ new WeakMap<Certificate | Uint8Array, X509Certificate>();

function native(der: Uint8Array): X509Certificate {
  let c = parsed.get(der);
  if (c === undefined) {
    try {
      c = new X509Certificate(der);
    } catch (e) {
      throw err('ERR_KEY_INVALID', 'the certificate is malformed (OpenSSL cannot read it)', e);
    }
    parsed.set(der, c);
  }
  return c;
}

export const x509: X509Backend = /* @__PURE__ */ Object.freeze({
  name: 'node' as const,
  accept(der: Uint8Array): void {
    native(der);
  },
  nativeDer(value: unknown): Uint8Array | undefined {
    return value instanceof X509Certificate ? new Uint8Array(value.raw) : undefined;
  },
  signedBy(child: Certificate, issuer: Certificate): boolean {
    try {
      const c = native(child.der);
      const i = native(issuer.der);
      return c.checkIssued(i) && c.verify(i.publicKey);
    } catch {
      return false;
    }
  },
  publicKey(cert: Certificate): unknown {
    return native(cert.der).publicKey;
  },
});

/** `jot audit`: personal data and secrets in claims (emails, Luhn-valid card numbers, password-like names). */
import { type AuditFinding, f, type AuditSeverity } from './checks.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const CARD = /(?:\d[ -]?){12,18}\d/;
const SECRET_NAME =
  /pass(word|wd|phrase)?$|^pwd$|secret|api[_-]?key|private[_-]?key|access[_-]?key|credential|^ssn$|social[_-]?security|cvv|cvc|card[_-]?number|^pin$/i;

/** Luhn checksum of a digit string (payment card numbers). */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function cardLike(s: string): boolean {
  const m = CARD.exec(s);
  if (m === null) return false;
  const digits = m[0].replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhn(digits);
}

/** Personal data and secrets anywhere in the claims: emails, Luhn-valid card numbers, password-like names. */
export function dataFindings(payload: Record<string, unknown>): AuditFinding[] {
  const out: AuditFinding[] = [];
  const seen = new Set<string>();
  const add = (id: string, sev: AuditSeverity, message: string, fix: string) => {
    if (seen.has(`${id}:${message}`)) return;
    seen.add(`${id}:${message}`);
    out.push(f(id, sev, message, fix));
  };
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > 20 || out.length > 50) return;
    if (typeof v === 'string') {
      if (EMAIL.test(v))
        add(
          'pii-email',
          'medium',
          `an email address in ${path}`,
          'JWT payloads are only base64: keep personal data out, or encrypt the token (JWE)',
        );
      if (cardLike(v))
        add(
          'pii-card',
          'high',
          `a payment card number in ${path}`,
          'never put card data in a token (PCI DSS): use an opaque reference',
        );
    } else if (typeof v === 'number' && Number.isSafeInteger(v) && v > 1e12 && cardLike(String(v))) {
      add(
        'pii-card',
        'high',
        `a payment card number in ${path}`,
        'never put card data in a token (PCI DSS): use an opaque reference',
      );
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
        if (SECRET_NAME.test(k))
          add(
            'secret-claim',
            'high',
            `a secret-looking claim ${p}`,
            'never put passwords, keys or credentials in a token: anyone holding it can read them',
          );
        walk(x, p, depth + 1);
      }
    }
  };
  walk(payload, '$', 0);
  return out;
}

// Certificates made by the real `openssl` for the tests (never hand-written DER): a self-signed EC P-256 CA.
import { execFileSync } from 'node:child_process';

/** An `openssl` runner in `dir`. */
export type Ssl = (...args: string[]) => Buffer;

/** Runs `openssl` (at `bin`) in `dir`, its output captured. */
export const sslIn =
  (bin: string, dir: string): Ssl =>
  (...args) =>
    execFileSync(bin, args, { cwd: dir, stdio: 'pipe' });

/**
 * `<name>.key` (EC P-256) and `<name>.pem`, a self-signed CA certificate for 30 days with subject `/CN=<name>`,
 * basicConstraints CA:TRUE and keyUsage keyCertSign (both critical; `keyUsage` adds to it, e.g. ',cRLSign').
 */
export function selfSignedCa(ssl: Ssl, name: string, keyUsage = ''): void {
  ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    `keyUsage=critical,keyCertSign${keyUsage}`,
  );
}

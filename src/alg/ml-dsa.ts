import type { JwsAlgorithm } from './jws.js';

/** One ML-DSA parameter set (FIPS 204 table 2): what an `AKP` key of that `alg` holds. Frozen. */
export interface MlDsaParameters {
  /** The JOSE `alg` (RFC 9964), which is also the key's one parameter set. */
  readonly alg: string;
  /** Parameter set name as the providers spell it: `ml-dsa-44`, `ml-dsa-65`, `ml-dsa-87`. */
  readonly set: 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87';
  /** FIPS 204 object identifier, dotted (id-ml-dsa-44 2.16.840.1.101.3.4.3.17 and the two after it). */
  readonly oid: string;
  /** The same identifier DER-encoded (contents only, without tag and length). */
  readonly oidDer: Uint8Array;
  /** Public key length in bytes (`pub`). */
  readonly publicKeyBytes: number;
  /** Private key seed length in bytes (`priv`): always 32. */
  readonly seedBytes: 32;
  /** Signature length in bytes. */
  readonly sigBytes: number;
}

const NIST_SIG = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];

function params(
  alg: string,
  set: MlDsaParameters['set'],
  arc: number,
  publicKeyBytes: number,
  sigBytes: number,
): MlDsaParameters {
  return Object.freeze({
    alg,
    set,
    oid: `2.16.840.1.101.3.4.3.${arc}`,
    oidDer: Uint8Array.from([...NIST_SIG, arc]),
    publicKeyBytes,
    seedBytes: 32 as const,
    sigBytes,
  });
}

/** ML-DSA parameter sets by JOSE `alg`. Null prototype. */
export const ML_DSA_PARAMETERS: Readonly<Record<string, MlDsaParameters>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, MlDsaParameters>, {
    'ML-DSA-44': params('ML-DSA-44', 'ml-dsa-44', 17, 1312, 2420),
    'ML-DSA-65': params('ML-DSA-65', 'ml-dsa-65', 18, 1952, 3309),
    'ML-DSA-87': params('ML-DSA-87', 'ml-dsa-87', 19, 2592, 4627),
  }),
);

/** The parameter set of an `alg`, or undefined (also for a non-string). */
export function findMlDsaParameters(alg: unknown): MlDsaParameters | undefined {
  return typeof alg === 'string' ? ML_DSA_PARAMETERS[alg] : undefined;
}

/** The parameter set whose DER OID (contents) equals `oid`, or undefined. */
export function mlDsaParametersByOid(oid: Uint8Array): MlDsaParameters | undefined {
  for (const p of Object.values(ML_DSA_PARAMETERS)) {
    if (p.oidDer.byteLength === oid.byteLength && p.oidDer.every((b, i) => b === oid[i])) return p;
  }
  return undefined;
}

/** The parameter set of a JWS algorithm of the ML-DSA family. */
export function mlDsaOf(alg: JwsAlgorithm): MlDsaParameters {
  return ML_DSA_PARAMETERS[alg.name]!;
}

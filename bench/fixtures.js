// Identical inputs for every library: claims, policies, keys (one key pair per algorithm, in each library's form).
import { createSecretKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';

export const ISS = 'https://issuer.example';
export const AUD = 'api.example';
/** Lifetime of signed tokens, in seconds. */
export const LIFETIME = 3600;
/** The claims every signer signs (each library adds iat, exp, iss and aud). */
export const CLAIMS = Object.freeze({ sub: 'user-1234', scope: 'read write', name: 'Ada Lovelace', admin: false });

export const JWS_ALGS = Object.freeze(['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']);
export const JWE_ALGS = Object.freeze(['dir', 'A256KW', 'RSA-OAEP-256', 'ECDH-ES+A256KW']);
export const JWE_ENC = 'A256GCM';

const pem = (pair) => ({
  privatePem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }),
  publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }),
});

/**
 * Key material per algorithm, as node:crypto KeyObjects and PEM text (asymmetric) or raw bytes (symmetric).
 * RS256, PS256 and RSA-OAEP-256 share one 2048-bit RSA key; ES256 and ECDH-ES share one P-256 key.
 */
export function makeMaterial() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const asym = (pair) => ({ privateKey: pair.privateKey, publicKey: pair.publicKey, ...pem(pair) });
  const sym = (bytes) => ({ secret: bytes, secretKey: createSecretKey(bytes) });
  return {
    jws: {
      HS256: sym(randomBytes(32)),
      RS256: asym(rsa),
      PS256: asym(rsa),
      ES256: asym(p256),
      EdDSA: asym(ed),
    },
    jwe: {
      dir: sym(randomBytes(32)),
      A256KW: sym(randomBytes(32)),
      'RSA-OAEP-256': asym(rsa),
      'ECDH-ES+A256KW': asym(p256),
    },
  };
}

/** jot keys, bound to their algorithm: `{ private, public }` per JWS and JWE algorithm. */
export async function jotKeys(jot, material) {
  const out = { jws: {}, jwe: {} };
  for (const [family, table] of [
    ['jws', material.jws],
    ['jwe', material.jwe],
  ]) {
    for (const [alg, m] of Object.entries(table)) {
      if (m.secret !== undefined) {
        const k = await jot.importKey(new Uint8Array(m.secret), { alg });
        out[family][alg] = { private: k, public: k };
      } else {
        out[family][alg] = {
          private: await jot.importKey(m.privateKey, { alg }),
          public: await jot.importKey(m.publicKey, { alg }),
        };
      }
    }
  }
  return out;
}

const HMAC_IMPORT = { name: 'HMAC', hash: 'SHA-256' };

/** jose keys, prepared once as CryptoKeys (jose's fastest form). */
export async function joseKeys(jose, material) {
  const out = { jws: {}, jwe: {} };
  for (const [alg, m] of Object.entries(material.jws)) {
    if (m.secret !== undefined) {
      const k = await webcrypto.subtle.importKey('raw', m.secret, HMAC_IMPORT, false, ['sign', 'verify']);
      out.jws[alg] = { private: k, public: k };
    } else {
      out.jws[alg] = {
        private: await jose.importPKCS8(m.privatePem, alg),
        public: await jose.importSPKI(m.publicPem, alg),
      };
    }
  }
  const subtle = webcrypto.subtle;
  const gcm = await subtle.importKey('raw', material.jwe.dir.secret, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const kw = await subtle.importKey('raw', material.jwe.A256KW.secret, 'AES-KW', false, ['wrapKey', 'unwrapKey']);
  out.jwe.dir = { private: gcm, public: gcm };
  out.jwe.A256KW = { private: kw, public: kw };
  for (const alg of ['RSA-OAEP-256', 'ECDH-ES+A256KW']) {
    const m = material.jwe[alg];
    out.jwe[alg] = {
      private: await jose.importPKCS8(m.privatePem, alg),
      public: await jose.importSPKI(m.publicPem, alg),
    };
  }
  return out;
}

// JWE compact encrypt/decrypt rows (bytes, and encrypted JWTs with claim checks) for jot, jose and the floor.
import { AUD, CLAIMS, ISS, JWE_ALGS, JWE_ENC, LIFETIME } from './fixtures.js';

const NO_JWE = { lib: 'others', label: 'jsonwebtoken, fast-jwt, @node-rs/jsonwebtoken', kind: 'peer', na: 'no JWE' };

/** Every JWE group: per key management algorithm, compact encrypt/decrypt and encrypted-JWT encrypt/decrypt. */
export function jweGroups(ctx) {
  const { jot, jose, jotKeys, joseKeys, floorsJwe, jweTokens, jwePlaintext: plaintext } = ctx;
  const samePlaintext = (r) => Buffer.compare(Buffer.from(r.plaintext ?? r), plaintext) === 0;
  const groups = [];
  for (const alg of JWE_ALGS) {
    const floor = floorsJwe[alg];
    const jk = jotKeys.jwe[alg];
    const jsKey = joseKeys.jwe[alg];
    const token = jweTokens[alg];
    const header = { alg, enc: JWE_ENC };
    const policy = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [JWE_ENC] };
    const claimPolicy = { ...policy, issuer: ISS, audience: AUD };
    // Absent from jot before issue 19 (a run against an older build says so instead of failing).
    const decrypter = jot.createDecrypter?.({ key: jk.private, ...policy });
    const decrypts = (t) => samePlaintext(floor.decrypt(t));
    const claimsOk = (r) => (r?.payload ?? r)?.sub === CLAIMS.sub;
    const jwtDecrypts = (t) => floor.decryptJwt(t).sub === CLAIMS.sub;
    const row = (lib, label, kind, fn, check, isAsync = true) => ({ lib, label, kind, fn, async: isAsync, check });
    const g = (op, title, rows) =>
      groups.push({ id: `jwe.${op}.${alg}`, section: 'JWE', op, alg, mode: 'async', title, rows });

    g('encrypt', `${alg} + ${JWE_ENC} compact encrypt`, [
      row('jot', 'jot encryptCompact', 'jot', () => jot.encryptCompact(plaintext, header, jk.public), decrypts),
      row(
        'jose',
        'jose CompactEncrypt',
        'peer',
        () => new jose.CompactEncrypt(plaintext).setProtectedHeader(header).encrypt(jsKey.public),
        decrypts,
      ),
      NO_JWE,
      row('floor', 'floor', 'floor', () => floor.encrypt(plaintext), decrypts, false),
    ]);
    g('decrypt', `${alg} + ${JWE_ENC} compact decrypt`, [
      row('jot', 'jot decryptCompact', 'jot', () => jot.decryptCompact(token, jk.private, policy), samePlaintext),
      decrypter === undefined
        ? { lib: 'jot', label: 'jot createDecrypter().decrypt', kind: 'jot', na: 'not in this version of jot' }
        : row('jot', 'jot createDecrypter().decrypt', 'jot', () => decrypter.decrypt(token), samePlaintext),
      row(
        'jose',
        'jose compactDecrypt',
        'peer',
        () => jose.compactDecrypt(token, jsKey.private, policy),
        samePlaintext,
      ),
      NO_JWE,
      row('floor', 'floor', 'floor', () => floor.decrypt(token), samePlaintext, false),
    ]);
    g('encrypt-jwt', `${alg} + ${JWE_ENC} encrypted JWT: encrypt (iat, exp, iss, aud added)`, [
      row(
        'jot',
        'jot encryptJwt',
        'jot',
        () => jot.encryptJwt(CLAIMS, jk.public, { ...header, issuer: ISS, audience: AUD, expiresIn: LIFETIME }),
        jwtDecrypts,
      ),
      row(
        'jose',
        'jose EncryptJWT',
        'peer',
        () =>
          new jose.EncryptJWT(CLAIMS)
            .setProtectedHeader(header)
            .setIssuedAt()
            .setExpirationTime('1h')
            .setIssuer(ISS)
            .setAudience(AUD)
            .encrypt(jsKey.public),
        jwtDecrypts,
      ),
      NO_JWE,
      row('floor', 'floor', 'floor', () => floor.encryptJwt(CLAIMS), jwtDecrypts, false),
    ]);
    g('decrypt-jwt', `${alg} + ${JWE_ENC} encrypted JWT: decrypt and check exp, iss, aud`, [
      row('jot', 'jot decryptJwt', 'jot', () => jot.decryptJwt(token, jk.private, claimPolicy), claimsOk),
      row('jose', 'jose jwtDecrypt', 'peer', () => jose.jwtDecrypt(token, jsKey.private, claimPolicy), claimsOk),
      NO_JWE,
      row('floor', 'floor', 'floor', () => floor.decryptJwt(token), claimsOk, false),
    ]);
  }
  return groups;
}

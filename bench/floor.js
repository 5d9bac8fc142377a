// The floor: node:crypto plus hand-written base64url/JSON doing the same work as the libraries, and no more.
//
// Sign: a fixed header segment, the claims serialized once with iat/exp/iss/aud spliced in, one signature.
// Verify: split, decode and JSON.parse the header (alg checked), decode the signature, verify it (HMAC with a
// constant-time compare), decode and JSON.parse the claims, check exp, iss and aud. Decode: both segments
// decoded and parsed. JWE: the header parsed and its alg/enc checked, the key managed, AES-GCM with the header
// as AAD. Nothing here is checked that a JWT library could skip; nothing jot checks beyond this is added.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { AUD, ISS, JWE_ENC, LIFETIME } from './fixtures.js';

const ISS_JSON = JSON.stringify(ISS);
const AUD_JSON = JSON.stringify(AUD);

const segment = (text) => Buffer.from(text).toString('base64url');
const decodeText = (seg) => Buffer.from(seg, 'base64url').toString();

/** Claims text with iat, exp, iss and aud spliced into the serialized claims (cheaper than spreading them). */
export function floorClaimsText(claims, now) {
  const json = JSON.stringify(claims);
  const extra = `"iat":${now},"exp":${now + LIFETIME},"iss":${ISS_JSON},"aud":${AUD_JSON}}`;
  return json.length === 2 ? `{${extra}` : `${json.slice(0, -1)},${extra}`;
}

/** exp, iss and aud, as every verifier in the benchmark is configured. */
export function floorCheckClaims(p, now) {
  if (typeof p !== 'object' || p === null) throw new Error('claims');
  if (typeof p.exp !== 'number' || p.exp <= now) throw new Error('exp');
  if (p.iss !== ISS) throw new Error('iss');
  const aud = p.aud;
  if (aud !== AUD && !(Array.isArray(aud) && aud.includes(AUD))) throw new Error('aud');
  return p;
}

function split3(t) {
  const a = t.indexOf('.');
  const b = a < 0 ? -1 : t.indexOf('.', a + 1);
  if (b < 0 || t.indexOf('.', b + 1) !== -1) throw new Error('format');
  return [a, b];
}

/** Signature primitives of one JWS algorithm: sync, and thread-pool (callback) forms for asymmetric keys. */
function primitives(alg, m) {
  if (alg === 'HS256') {
    // The MAC as base64url text straight from node (no Buffer made natively), compared in constant time.
    const key = m.secretKey;
    const mac = (input) => createHmac('sha256', key).update(input).digest('base64url');
    const check = (input, sigSegment) => {
      const expected = mac(input);
      return (
        sigSegment.length === expected.length &&
        timingSafeEqual(Buffer.from(sigSegment, 'latin1'), Buffer.from(expected, 'latin1'))
      );
    };
    return { sign: mac, verify: check, signAsync: null, verifyAsync: null, text: true };
  }
  const hash = alg === 'EdDSA' ? null : 'sha256';
  const options =
    alg === 'PS256'
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : alg === 'ES256'
        ? { dsaEncoding: 'ieee-p1363' }
        : {};
  const priv = { key: m.privateKey, ...options };
  const pub = { key: m.publicKey, ...options };
  return {
    text: false,
    sign: (input) => sign(hash, Buffer.from(input, 'latin1'), priv),
    verify: (input, sig) => verify(hash, Buffer.from(input, 'latin1'), pub, sig),
    signAsync: (input) =>
      new Promise((resolve, reject) =>
        sign(hash, Buffer.from(input, 'latin1'), priv, (e, s) => (e ? reject(e) : resolve(s))),
      ),
    verifyAsync: (input, sig) =>
      new Promise((resolve, reject) =>
        verify(hash, Buffer.from(input, 'latin1'), pub, sig, (e, ok) => (e ? reject(e) : resolve(ok))),
      ),
  };
}

/** The floor for one JWS algorithm: signSync/verifySync, thread-pool signAsync/verifyAsync, decode. */
export function floorJwt(alg, m) {
  const header = segment(JSON.stringify({ alg, typ: 'JWT' }));
  const p = primitives(alg, m);
  const signingInput = (claims) => `${header}.${segment(floorClaimsText(claims, Math.floor(Date.now() / 1000)))}`;
  const b64 = (sig) => (p.text ? sig : sig.toString('base64url'));
  const parse = (t) => {
    const [a, b] = split3(t);
    if (JSON.parse(decodeText(t.slice(0, a))).alg !== alg) throw new Error('alg');
    const segment = t.slice(b + 1);
    return { a, b, sig: p.text ? segment : Buffer.from(segment, 'base64url') };
  };
  const claimsOf = (t, a, b) => floorCheckClaims(JSON.parse(decodeText(t.slice(a + 1, b))), Date.now() / 1000);
  return {
    signSync(claims) {
      const input = signingInput(claims);
      return `${input}.${b64(p.sign(input))}`;
    },
    async signAsync(claims) {
      const input = signingInput(claims);
      const sig = p.signAsync === null ? p.sign(input) : await p.signAsync(input);
      return `${input}.${b64(sig)}`;
    },
    verifySync(t) {
      const { a, b, sig } = parse(t);
      if (!p.verify(t.slice(0, b), sig)) throw new Error('signature');
      return claimsOf(t, a, b);
    },
    async verifyAsync(t) {
      const { a, b, sig } = parse(t);
      const ok = p.verifyAsync === null ? p.verify(t.slice(0, b), sig) : await p.verifyAsync(t.slice(0, b), sig);
      if (!ok) throw new Error('signature');
      return claimsOf(t, a, b);
    },
    /** Thread-pool signing and verification exist (asymmetric algorithms only). */
    threadPool: p.signAsync !== null,
  };
}

/** Unverified decode of both segments. */
export function floorDecode(t) {
  const [a, b] = split3(t);
  return { header: JSON.parse(decodeText(t.slice(0, a))), payload: JSON.parse(decodeText(t.slice(a + 1, b))) };
}

// ---- JWE ----

const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const wrap = (kek, cek) => {
  const c = createCipheriv('id-aes256-wrap', kek, KW_IV);
  return Buffer.concat([c.update(cek), c.final()]);
};
const unwrap = (kek, wrapped) => {
  const d = createDecipheriv('id-aes256-wrap', kek, KW_IV);
  return Buffer.concat([d.update(wrapped), d.final()]);
};
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };

/** Concat KDF of RFC 7518 section 4.6.2 for a 256-bit key, empty apu/apv: one SHA-256 block. */
function concatKdf256(z, algName) {
  const other = Buffer.alloc(4 + algName.length + 12);
  other.writeUInt32BE(algName.length, 0);
  other.write(algName, 4, 'latin1');
  other.writeUInt32BE(256, other.length - 4);
  return createHash('sha256')
    .update(Buffer.from([0, 0, 0, 1]))
    .update(z)
    .update(other)
    .digest();
}

/** The floor for one JWE key management algorithm with A256GCM: encrypt(bytes) -> compact, decrypt -> bytes. */
export function floorJwe(alg, m) {
  const fixedHeader = alg === 'ECDH-ES+A256KW' ? undefined : segment(JSON.stringify({ alg, enc: JWE_ENC }));
  const recipient = {
    dir: () => ({ cek: m.secret, ek: '', header: fixedHeader }),
    A256KW: () => {
      const cek = randomBytes(32);
      return { cek, ek: wrap(m.secret, cek).toString('base64url'), header: fixedHeader };
    },
    'RSA-OAEP-256': () => {
      const cek = randomBytes(32);
      return { cek, ek: publicEncrypt({ key: m.publicKey, ...OAEP }, cek).toString('base64url'), header: fixedHeader };
    },
    'ECDH-ES+A256KW': () => {
      const eph = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const { kty, crv, x, y } = eph.publicKey.export({ format: 'jwk' });
      const kek = concatKdf256(diffieHellman({ privateKey: eph.privateKey, publicKey: m.publicKey }), alg);
      const cek = randomBytes(32);
      const header = segment(JSON.stringify({ alg, enc: JWE_ENC, epk: { kty, crv, x, y } }));
      return { cek, ek: wrap(kek, cek).toString('base64url'), header };
    },
  }[alg];
  const cekOf = {
    dir: () => m.secret,
    A256KW: (_h, ek) => unwrap(m.secret, ek),
    'RSA-OAEP-256': (_h, ek) => privateDecrypt({ key: m.privateKey, ...OAEP }, ek),
    'ECDH-ES+A256KW': (h, ek) => {
      const epk = createPublicKey({ key: h.epk, format: 'jwk' });
      return unwrap(concatKdf256(diffieHellman({ privateKey: m.privateKey, publicKey: epk }), alg), ek);
    },
  }[alg];

  function encrypt(plaintext) {
    const r = recipient();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', r.cek, iv);
    c.setAAD(Buffer.from(r.header, 'latin1'));
    const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
    const tag = c.getAuthTag();
    return `${r.header}.${r.ek}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
  }

  function decrypt(token) {
    const d1 = token.indexOf('.');
    const d2 = token.indexOf('.', d1 + 1);
    const d3 = token.indexOf('.', d2 + 1);
    const d4 = token.indexOf('.', d3 + 1);
    if (d1 < 0 || d2 < 0 || d3 < 0 || d4 < 0 || token.indexOf('.', d4 + 1) !== -1) throw new Error('format');
    const h = JSON.parse(decodeText(token.slice(0, d1)));
    if (h.alg !== alg || h.enc !== JWE_ENC) throw new Error('alg');
    const cek = cekOf(h, Buffer.from(token.slice(d1 + 1, d2), 'base64url'));
    const d = createDecipheriv('aes-256-gcm', cek, Buffer.from(token.slice(d2 + 1, d3), 'base64url'));
    d.setAAD(Buffer.from(token.slice(0, d1), 'latin1'));
    d.setAuthTag(Buffer.from(token.slice(d4 + 1), 'base64url'));
    return Buffer.concat([d.update(Buffer.from(token.slice(d3 + 1, d4), 'base64url')), d.final()]);
  }

  return {
    encrypt,
    decrypt,
    encryptJwt: (claims) => encrypt(Buffer.from(floorClaimsText(claims, Math.floor(Date.now() / 1000)))),
    decryptJwt: (token) => floorCheckClaims(JSON.parse(decrypt(token).toString()), Date.now() / 1000),
  };
}

// ML-DSA (RFC 9964) JWT sign and verify rows, beside jot's ES256 and EdDSA rows of the same operation.
//
// Node 20's node:crypto has no ML-DSA, so jot runs the pure-JS provider (@noble/post-quantum); a native row is
// measured where the runtime has ML-DSA, and marked n/a otherwise. No peer library signs ML-DSA on Node 20 (jose
// only where WebCrypto has it). The floor: @noble/post-quantum called directly, with the same hand-written
// base64url/JSON work as the other floors (split, header alg check, claims exp/iss/aud).
import { generateKeyPairSync } from 'node:crypto';
import { AUD, CLAIMS, ISS, LIFETIME } from './fixtures.js';
import { floorCheckClaims, floorClaimsText } from './floor.js';

const ALGS = ['ML-DSA-44', 'ML-DSA-65'];
const NO_PEER = 'no ML-DSA on Node 20';
const JOSE_NA = 'ML-DSA only where WebCrypto has it (not Node 20)';

const seg = (text) => Buffer.from(text).toString('base64url');
const verified = (r) => (r?.payload ?? r)?.sub === CLAIMS.sub;

function floorFor(alg, dsa, keys) {
  const header = seg(JSON.stringify({ alg, typ: 'JWT' }));
  const signSync = (claims) => {
    const input = `${header}.${seg(floorClaimsText(claims, Math.floor(Date.now() / 1000)))}`;
    return `${input}.${Buffer.from(dsa.sign(Buffer.from(input), keys.secretKey)).toString('base64url')}`;
  };
  const verifySync = (token) => {
    const a = token.indexOf('.');
    const b = token.indexOf('.', a + 1);
    if (a < 0 || b < 0 || token.indexOf('.', b + 1) !== -1) throw new Error('format');
    if (JSON.parse(Buffer.from(token.slice(0, a), 'base64url').toString()).alg !== alg) throw new Error('alg');
    const sig = Buffer.from(token.slice(b + 1), 'base64url');
    if (!dsa.verify(sig, Buffer.from(token.slice(0, b)), keys.publicKey)) throw new Error('signature');
    const p = JSON.parse(Buffer.from(token.slice(a + 1, b), 'base64url').toString());
    return floorCheckClaims(p, Math.floor(Date.now() / 1000));
  };
  return { signSync, verifySync };
}

/** ML-DSA groups; empty (with a note) when @noble/post-quantum is not installed. */
export async function mlDsaGroups(ctx) {
  const { jot, jotKeys, floors, tokens } = ctx;
  let noble;
  try {
    noble = await import('@noble/post-quantum/ml-dsa.js');
  } catch {
    return [];
  }
  // node:crypto's own ML-DSA (Node 24.7+), feature-tested like jot does (src/crypto/ml-dsa.ts): a key generation.
  const native = (() => {
    try {
      generateKeyPairSync('ml-dsa-44');
      return true;
    } catch {
      return false;
    }
  })();
  const impl = { 'ML-DSA-44': noble.ml_dsa44, 'ML-DSA-65': noble.ml_dsa65 };
  const signOptions = { issuer: ISS, audience: AUD, expiresIn: LIFETIME };
  const groups = [];
  for (const alg of ALGS) {
    const seed = new Uint8Array(32).fill(7);
    const keys = impl[alg].keygen(seed);
    const b64 = (b) => Buffer.from(b).toString('base64url');
    const priv = await jot.importKey({ kty: 'AKP', alg, pub: b64(keys.publicKey), priv: b64(seed) });
    const pub = await jot.importKey({ kty: 'AKP', alg, pub: b64(keys.publicKey) });
    const floor = floorFor(alg, impl[alg], keys);
    const token = floor.signSync(CLAIMS);
    const signer = jot.createSigner({ key: priv, ...signOptions });
    const verifier = jot.createVerifier({ key: pub, algorithms: [alg], issuer: ISS, audience: AUD });
    const signed = (t) => floor.verifySync(t).sub === CLAIMS.sub;
    const label = native ? 'native node:crypto' : 'pure-JS @noble/post-quantum';
    const beside = (op) =>
      ['ES256', 'EdDSA'].map((other) => {
        const k = jotKeys.jws[other];
        if (op === 'sign') {
          const s = jot.createSigner({ key: k.private, ...signOptions });
          return {
            lib: 'jot',
            label: `jot ${other} signSync (for comparison)`,
            kind: 'ref',
            async: false,
            fn: () => s.signSync(CLAIMS),
            check: (t) => floors[other].verifySync(t).sub === CLAIMS.sub,
          };
        }
        const v = jot.createVerifier({ key: k.public, algorithms: [other], issuer: ISS, audience: AUD });
        return {
          lib: 'jot',
          label: `jot ${other} verifySync (for comparison)`,
          kind: 'ref',
          async: false,
          fn: () => v.verifySync(tokens[other]),
          check: verified,
        };
      });
    const na = (lib, label, why) => ({ lib, label, kind: 'peer', na: why });
    const nativeNa = {
      lib: 'jot',
      label: 'jot, native node:crypto',
      kind: 'ref',
      na: 'node:crypto has no ML-DSA on this runtime',
    };
    groups.push({
      id: `jwt.sign.${alg}.sync`,
      section: 'JWT',
      op: 'sign',
      alg,
      mode: 'sync',
      title: `${alg} sign, sync (${label})`,
      rows: [
        {
          lib: 'jot',
          label: `jot createSigner().signSync (${label})`,
          kind: 'jot',
          async: false,
          fn: () => signer.signSync(CLAIMS),
          check: signed,
        },
        ...(native ? [] : [nativeNa]),
        na('jose', 'jose SignJWT', JOSE_NA),
        na('fast-jwt', 'fast-jwt createSigner()', NO_PEER),
        na('jsonwebtoken', 'jsonwebtoken sign', NO_PEER),
        ...beside('sign'),
        {
          lib: 'floor',
          label: 'floor (@noble/post-quantum direct)',
          kind: 'floor',
          async: false,
          fn: () => floor.signSync(CLAIMS),
          check: signed,
        },
      ],
    });
    groups.push({
      id: `jwt.verify.${alg}.sync`,
      section: 'JWT',
      op: 'verify',
      alg,
      mode: 'sync',
      title: `${alg} verify, sync (${label})`,
      rows: [
        {
          lib: 'jot',
          label: `jot createVerifier().verifySync (${label})`,
          kind: 'jot',
          async: false,
          fn: () => verifier.verifySync(token),
          check: verified,
        },
        ...(native ? [] : [nativeNa]),
        na('jose', 'jose jwtVerify', JOSE_NA),
        na('fast-jwt', 'fast-jwt createVerifier()', NO_PEER),
        na('jsonwebtoken', 'jsonwebtoken verify', NO_PEER),
        ...beside('verify'),
        {
          lib: 'floor',
          label: 'floor (@noble/post-quantum direct)',
          kind: 'floor',
          async: false,
          fn: () => floor.verifySync(token),
          check: verified,
        },
      ],
    });
  }
  return groups;
}

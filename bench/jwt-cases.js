// JWT sign, verify and decode rows for every library, on identical claims, policies, keys and tokens.
//
// A group is one comparison (say "HS256 verify, sync"). Each row: { lib, label, kind, fn, async, concurrency,
// check } or { lib, label, kind, na } where kind is 'jot', 'peer', 'floor' or 'ref' (a floor variant shown for
// reference). `check` validates one result before timing, so no row can win by doing less.
import { AUD, CLAIMS, ISS, JWS_ALGS, LIFETIME } from './fixtures.js';
import { floorDecode } from './floor.js';

export const IN_FLIGHT = 64;
const NO_EDDSA = 'jsonwebtoken 9 has no EdDSA';
const NODE_RS = '@node-rs/jsonwebtoken';
const NODE_RS_MISSING = 'not installed (optional devDependency)';

const verified = (r) => (r?.payload ?? r)?.sub === CLAIMS.sub;

/** Every JWT group: sign and verify per algorithm and mode, cached verify, and decode. */
export function jwtGroups(ctx) {
  const { jot, jose, jsonwebtoken, fastJwt, nodeRs, material, jotKeys, joseKeys, floors, tokens } = ctx;
  const groups = [];
  for (const alg of JWS_ALGS) {
    const m = material.jws[alg];
    const floor = floors[alg];
    const token = tokens[alg];
    const jk = jotKeys.jws[alg];
    const jsKey = joseKeys.jws[alg];
    const signed = (t) => floor.verifySync(t).sub === CLAIMS.sub;

    // jot, precompiled once.
    const signOptions = { issuer: ISS, audience: AUD, expiresIn: LIFETIME };
    const verifyOptions = { algorithms: [alg], issuer: ISS, audience: AUD };
    const signer = jot.createSigner({ key: jk.private, ...signOptions });
    const verifier = jot.createVerifier({ key: jk.public, ...verifyOptions });
    const cachedVerifier = jot.createVerifier({ key: jk.public, ...verifyOptions, cache: { max: 1000 } });
    // Peers, each prepared the way its documentation recommends for repeated use.
    const jwtSignKey = alg === 'HS256' ? m.secretKey : m.privateKey;
    const jwtVerifyKey = alg === 'HS256' ? m.secretKey : m.publicKey;
    const jwtSignOptions = { algorithm: alg, expiresIn: LIFETIME, issuer: ISS, audience: AUD };
    const fjSign = fastJwt.createSigner({
      key: alg === 'HS256' ? m.secret : m.privatePem,
      algorithm: alg,
      expiresIn: LIFETIME * 1000,
      iss: ISS,
      aud: AUD,
    });
    const fjOptions = { key: alg === 'HS256' ? m.secret : m.publicPem, algorithms: [alg], allowedIss: ISS };
    const fjVerify = fastJwt.createVerifier({ ...fjOptions, allowedAud: AUD });
    const fjCached = fastJwt.createVerifier({ ...fjOptions, allowedAud: AUD, cache: 1000 });
    const rsSignKey = alg === 'HS256' ? m.secret : m.privatePem;
    const rsVerifyKey = alg === 'HS256' ? m.secret : m.publicPem;
    const rsHeader = { algorithm: alg };
    const rsValidation = { algorithms: [alg], iss: [ISS], aud: [AUD], leeway: 0 };
    const rsClaims = () => {
      const now = Math.floor(Date.now() / 1000);
      return { ...CLAIMS, iat: now, exp: now + LIFETIME, iss: ISS, aud: AUD };
    };
    const joseSign = () =>
      new jose.SignJWT(CLAIMS)
        .setProtectedHeader({ alg, typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .setIssuer(ISS)
        .setAudience(AUD)
        .sign(jsKey.private);
    const joseVerify = () => jose.jwtVerify(token, jsKey.public, verifyOptions);

    // @node-rs/jsonwebtoken is optional: its platform packages are not always installable.
    const row = (lib, label, kind, fn, check, extra) =>
      lib === NODE_RS && nodeRs === undefined
        ? { lib, label, kind, na: NODE_RS_MISSING }
        : { lib, label, kind, fn, check, ...extra };
    const sync = (lib, label, kind, fn, check) => row(lib, label, kind, fn, check, { async: false });
    const async1 = (lib, label, kind, fn, check) => row(lib, label, kind, fn, check, { async: true });
    const many = (lib, label, kind, fn, check) =>
      row(lib, label, kind, fn, check, { async: true, concurrency: IN_FLIGHT });
    // Every group carries the floor of its operation run synchronously on one thread: the ratios are taken round
    // by round against it (the rows of a group are measured in interleaved rounds).
    const floorSign = () => sync('floor', 'floor (sync, one thread)', 'floor', () => floor.signSync(CLAIMS), signed);
    const floorVerify = () =>
      sync('floor', 'floor (sync, one thread)', 'floor', () => floor.verifySync(token), verified);
    const g = (op, mode, title, rows) =>
      groups.push({ id: `jwt.${op}.${alg}.${mode}`, section: 'JWT', op, alg, mode, title, rows });
    const poolNote = floor.threadPool ? ' (thread pool)' : ' (async function)';

    g('sign', 'sync', `${alg} sign, sync`, [
      sync('jot', 'jot createSigner().signSync', 'jot', () => signer.signSync(CLAIMS), signed),
      sync('fast-jwt', 'fast-jwt createSigner()', 'peer', () => fjSign(CLAIMS), signed),
      alg === 'EdDSA'
        ? { lib: 'jsonwebtoken', label: 'jsonwebtoken sign', kind: 'peer', na: NO_EDDSA }
        : sync(
            'jsonwebtoken',
            'jsonwebtoken sign',
            'peer',
            () => jsonwebtoken.sign(CLAIMS, jwtSignKey, jwtSignOptions),
            signed,
          ),
      sync(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken signSync',
        'peer',
        () => nodeRs.signSync(rsClaims(), rsSignKey, rsHeader),
        signed,
      ),
      sync('floor', 'floor', 'floor', () => floor.signSync(CLAIMS), signed),
    ]);
    g('sign', 'async', `${alg} sign, async one at a time`, [
      async1('jot', 'jot signJwt (one-shot)', 'jot', () => jot.signJwt(CLAIMS, jk.private, signOptions), signed),
      async1('jot', 'jot createSigner().sign', 'jot', () => signer.sign(CLAIMS), signed),
      async1('jose', 'jose SignJWT', 'peer', joseSign, signed),
      async1(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken sign',
        'peer',
        () => nodeRs.sign(rsClaims(), rsSignKey, rsHeader),
        signed,
      ),
      async1('floor', `floor${poolNote}`, 'ref', () => floor.signAsync(CLAIMS), signed),
      floorSign(),
    ]);
    g('sign', 'x64', `${alg} sign, async ×${IN_FLIGHT} in flight`, [
      many('jot', 'jot createSigner().sign', 'jot', () => signer.sign(CLAIMS), signed),
      many('jose', 'jose SignJWT', 'peer', joseSign, signed),
      many(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken sign',
        'peer',
        () => nodeRs.sign(rsClaims(), rsSignKey, rsHeader),
        signed,
      ),
      many('floor', `floor${poolNote}`, 'ref', () => floor.signAsync(CLAIMS), signed),
      floorSign(),
    ]);

    g('verify', 'sync', `${alg} verify, sync`, [
      sync('jot', 'jot createVerifier().verifySync', 'jot', () => verifier.verifySync(token), verified),
      sync('fast-jwt', 'fast-jwt createVerifier()', 'peer', () => fjVerify(token), verified),
      alg === 'EdDSA'
        ? { lib: 'jsonwebtoken', label: 'jsonwebtoken verify', kind: 'peer', na: NO_EDDSA }
        : sync(
            'jsonwebtoken',
            'jsonwebtoken verify',
            'peer',
            () => jsonwebtoken.verify(token, jwtVerifyKey, verifyOptions),
            verified,
          ),
      sync(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken verifySync',
        'peer',
        () => nodeRs.verifySync(token, rsVerifyKey, rsValidation),
        verified,
      ),
      sync('floor', 'floor', 'floor', () => floor.verifySync(token), verified),
    ]);
    g('verify', 'async', `${alg} verify, async one at a time`, [
      async1('jot', 'jot verifyJwt (one-shot)', 'jot', () => jot.verifyJwt(token, jk.public, verifyOptions), verified),
      async1('jot', 'jot createVerifier().verify', 'jot', () => verifier.verify(token), verified),
      async1('jose', 'jose jwtVerify', 'peer', joseVerify, verified),
      async1(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken verify',
        'peer',
        () => nodeRs.verify(token, rsVerifyKey, rsValidation),
        verified,
      ),
      async1('floor', `floor${poolNote}`, 'ref', () => floor.verifyAsync(token), verified),
      floorVerify(),
    ]);
    g('verify', 'x64', `${alg} verify, async ×${IN_FLIGHT} in flight`, [
      many('jot', 'jot createVerifier().verify', 'jot', () => verifier.verify(token), verified),
      many('jose', 'jose jwtVerify', 'peer', joseVerify, verified),
      many(
        '@node-rs/jsonwebtoken',
        '@node-rs/jsonwebtoken verify',
        'peer',
        () => nodeRs.verify(token, rsVerifyKey, rsValidation),
        verified,
      ),
      many('floor', `floor${poolNote}`, 'ref', () => floor.verifyAsync(token), verified),
      floorVerify(),
    ]);
    g('verify', 'cached', `${alg} verify, sync, verified-token cache (same token)`, [
      sync('jot', 'jot createVerifier({ cache }).verifySync', 'jot', () => cachedVerifier.verifySync(token), verified),
      sync('fast-jwt', 'fast-jwt createVerifier({ cache })', 'peer', () => fjCached(token), verified),
      floorVerify(),
    ]);
  }

  const token = tokens.HS256;
  const decodedOk = (r) => r.payload.sub === CLAIMS.sub && r.header.alg === 'HS256';
  const fjDecode = fastJwt.createDecoder({ complete: true });
  groups.push({
    id: 'jwt.decode',
    section: 'JWT',
    op: 'decode',
    alg: 'HS256',
    mode: 'sync',
    title: 'decode without verification (header and claims)',
    rows: [
      {
        lib: 'jot',
        label: 'jot decodeUnverified',
        kind: 'jot',
        fn: () => ctx.jot.decodeUnverified(token),
        check: decodedOk,
      },
      {
        lib: 'jose',
        label: 'jose decodeProtectedHeader + decodeJwt',
        kind: 'peer',
        fn: () => ({ header: jose.decodeProtectedHeader(token), payload: jose.decodeJwt(token) }),
        check: decodedOk,
      },
      {
        lib: 'fast-jwt',
        label: 'fast-jwt createDecoder({ complete })',
        kind: 'peer',
        fn: () => fjDecode(token),
        check: decodedOk,
      },
      {
        lib: 'jsonwebtoken',
        label: 'jsonwebtoken decode({ complete })',
        kind: 'peer',
        fn: () => jsonwebtoken.decode(token, { complete: true }),
        check: decodedOk,
      },
      {
        lib: '@node-rs/jsonwebtoken',
        label: '@node-rs/jsonwebtoken',
        kind: 'peer',
        na: 'decodeHeader only: no unverified claims decode',
      },
      { lib: 'floor', label: 'floor', kind: 'floor', fn: () => floorDecode(token), check: decodedOk },
    ],
  });
  return groups;
}

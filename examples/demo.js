// `npm run demo`: a short demonstration of jot's main job. Generate keys, sign JWTs, verify them with a
// strict policy, tamper with them, revoke one, and print what happened.
import { createVerifier, generateKeyPair, generateSecret, isJotError, signJwt, verifyJwt } from '../dist/index.js';
import { createRevocationList, memoryStore } from '../dist/revocation/index.js';

const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'https://api.example.com';
const line = (label, value) => console.log(`${label.padEnd(40)} ${value}`);
const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function outcome(label, run) {
  try {
    const { payload } = await run();
    line(label, `accepted: sub=${payload.sub} scope=${payload.scope}`);
    return true;
  } catch (e) {
    line(label, isJotError(e) ? `rejected: ${e.code}` : `unexpected error: ${e}`);
    if (!isJotError(e)) process.exitCode = 1;
    return false;
  }
}

async function demo(alg, { privateKey, publicKey }) {
  const token = await signJwt({ sub: 'user-42', scope: 'read' }, privateKey, {
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: '15m',
    jwtId: true,
  });
  line(`${alg} token`, `${token.slice(0, 40)}... (${token.length} chars)`);
  const strict = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
  const ok = await outcome(`${alg} genuine token`, () => verifyJwt(token, publicKey, strict));

  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const attacks = [
    ['payload changed to scope=admin', `${h}.${b64u({ ...claims, scope: 'admin' })}.${s}`],
    ['alg "none", signature stripped', `${b64u({ alg: 'none', typ: 'JWT' })}.${p}.`],
    ['token meant for another API', await signJwt({ sub: 'user-42' }, privateKey, { issuer: ISSUER, audience: 'x' })],
  ];
  for (const [what, forged] of attacks) {
    if (await outcome(`${alg} ${what}`, () => verifyJwt(forged, publicKey, strict))) process.exitCode = 1;
  }
  if (!ok) process.exitCode = 1;
  return token;
}

const secret = await generateSecret('HS256');
const hsToken = await demo('HS256', { privateKey: secret, publicKey: secret });
await demo('ES256', await generateKeyPair('ES256'));
await demo('EdDSA', await generateKeyPair('EdDSA'));

// Revocation: a signed token stays valid until it expires, unless the verifier consults a list.
const revocation = createRevocationList({ store: memoryStore() });
const verifier = createVerifier({ key: secret, issuer: ISSUER, audience: AUDIENCE, revocation, cache: { max: 100 } });
await outcome('HS256 before revoke (precompiled, cached)', () => verifier.verify(hsToken));
await revocation.revoke(hsToken);
if (await outcome('HS256 after revoke (cache hit)', () => verifier.verify(hsToken))) process.exitCode = 1;
await revocation.close();

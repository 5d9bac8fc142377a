// Key sets end to end, on loopback: an issuer's key ring served over HTTP, a verifier reading it through a
// remote JWK Set, a rotation, and a leaked key revoked. Run after `npm run build`: node examples/keysets.js
import { createServer } from 'node:http';
import { createKeyRing, createRemoteJwkSet, createVerifier, isJotError } from '../dist/index.js';
import { createRevocationList } from '../dist/revocation/index.js';

const issuer = 'https://idp.example';
let clock = Date.now(); // a hand-moved clock, so the rotation happens now rather than in 30 days
const revocation = createRevocationList(); // share a Redis or SQLite store between issuer and verifiers
const ring = createKeyRing({
  alg: 'ES256',
  rotateEvery: '30d',
  maxAge: '10m',
  revocation,
  signer: { issuer, audience: 'api', expiresIn: '15m' },
  now: () => clock,
});
await ring.ready();
const server = createServer(ring.handler()).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const jwksUri = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;

// allowHttp only because this demonstration runs on loopback; a real jwks_uri is https:.
const keys = createRemoteJwkSet(jwksUri, { allowHttp: true, now: () => clock });
const verifier = createVerifier({ key: keys, algorithms: ['ES256'], issuer, audience: 'api', revocation });
const check = async (label, token) => {
  try {
    const { key } = await verifier.verify(token);
    console.log(`${label.padEnd(36)} accepted (kid ${key.kid.slice(0, 8)}…)`);
  } catch (e) {
    console.log(`${label.padEnd(36)} rejected: ${isJotError(e) ? e.code : e}`);
  }
};

const before = await ring.sign({ sub: 'alice' });
await check('token from the first key', before);
clock += 30 * 86_400_000 - 20 * 60_000; // the next key is published 20 minutes ahead of use
await ring.maintain();
clock += 20 * 60_000; // ... and signs from now on
const after = await ring.sign({ sub: 'alice' });
await check('token from the rotated key', after);
await check('token signed before the rotation', before);
await ring.revokeKey(ring.keys().find((k) => k.state === 'current').kid); // leaked: out at once
await check('token from the leaked key', after);
const replacement = await ring.sign({ sub: 'alice' });
await check('replacement key, within the cooldown', replacement); // an unknown kid refetches once per 30 s
clock += 30_000;
await check('replacement key, after the cooldown', replacement);
server.close();
await ring.close();
await revocation.close();

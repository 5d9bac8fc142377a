// Key set rows: verification through a warm remote JWK Set against the same verifier with a fixed key, and the
// cost of consulting revoked key ids (revokeKey) next to the jti lookup a revocation list already makes.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUD, CLAIMS, ISS, LIFETIME } from './fixtures.js';

const verified = (r) => (r?.payload ?? r)?.sub === CLAIMS.sub;

/** Serves `body` on a loopback port; resolves with its URL and a close function. */
async function serve(body) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${server.address().port}/jwks`, close: () => new Promise((r) => server.close(r)) };
}

/** The key set groups, and `close` for the server they use. */
export async function keysetGroups(ctx, root) {
  const { jot, jotKeys, floors, tokens } = ctx;
  const revocation = await import(pathToFileURL(join(root, 'dist', 'revocation', 'index.js')).href);
  const groups = [];
  const sync = (label, kind, fn) => ({
    lib: kind === 'floor' ? 'floor' : 'jot',
    label,
    kind,
    fn,
    check: verified,
    async: false,
  });
  const async1 = (label, fn) => ({ lib: 'jot', label, kind: 'jot', fn, check: verified, async: true });

  // Verify through a warm remote set: the same verifier, the key resolved by the set on every call.
  const es = jotKeys.jws.ES256;
  const server = await serve(JSON.stringify({ keys: [await jot.exportJwk(es.public)] }));
  const remote = jot.createRemoteJwkSet(server.url, { allowHttp: true });
  await remote.refresh();
  const policy = { algorithms: ['ES256'], issuer: ISS, audience: AUD };
  const fixed = jot.createVerifier({ key: es.public, ...policy });
  const viaSet = jot.createVerifier({ key: remote, ...policy });
  groups.push({
    id: 'keyset.verify.ES256.async',
    section: 'Key sets',
    op: 'verify',
    alg: 'ES256',
    mode: 'async',
    title: 'ES256 verify through a warm remote JWK Set, async one at a time',
    rows: [
      async1('jot createVerifier({ key }).verify (fixed key)', () => fixed.verify(tokens.ES256)),
      async1('jot createVerifier({ key: createRemoteJwkSet() }).verify', () => viaSet.verify(tokens.ES256)),
      sync('floor (sync, one thread)', 'floor', () => floors.ES256.verifySync(tokens.ES256)),
    ],
  });

  // Revoked key ids next to the jti lookup: one list (memory store) holding 1,000 revoked jtis and 1,000
  // revoked kids; the same token with and without a kid header.
  const hs = jotKeys.jws.HS256;
  const list = revocation.createRevocationList({ purgeInterval: 0 });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  for (let i = 0; i < 1000; i++) {
    await list.revoke({ jti: `revoked-${i}`, exp });
    await list.revokeKey(`revoked-key-${i}`);
  }
  const signOptions = { issuer: ISS, audience: AUD, expiresIn: LIFETIME };
  const claims = { ...CLAIMS, jti: 'live-token' };
  const plain = jot.createSigner({ key: hs.private, ...signOptions, kid: false }).signSync(claims);
  const withKid = jot.createSigner({ key: hs.private, ...signOptions, kid: 'live-key' }).signSync(claims);
  const hsPolicy = { key: hs.public, algorithms: ['HS256'], issuer: ISS, audience: AUD };
  const none = jot.createVerifier(hsPolicy);
  const listed = jot.createVerifier({ ...hsPolicy, revocation: list });
  groups.push({
    id: 'keyset.revoked-kid.HS256.sync',
    section: 'Key sets',
    op: 'verify',
    alg: 'HS256',
    mode: 'sync',
    title: 'HS256 verify with a revocation list: the kid lookup next to the jti lookup, sync',
    rows: [
      sync('jot verifySync, no revocation list', 'jot', () => none.verifySync(plain)),
      sync('jot verifySync + list (jti, sub), token without kid', 'jot', () => listed.verifySync(plain)),
      sync('jot verifySync + list (kid, jti, sub), token with kid', 'jot', () => listed.verifySync(withKid)),
      sync('floor (sync, one thread)', 'floor', () => floors.HS256.verifySync(tokens.HS256)),
    ],
  });
  return {
    groups,
    async close() {
      await list.close();
      await server.close();
    },
  };
}

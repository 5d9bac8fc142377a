// `npm start`: a short demonstration of jot's main job. Generate keys, sign, verify, tamper.
import {
  generateKeyPair,
  generateSecret,
  isJotError,
  signCompact,
  verifyCompact,
} from '../dist/index.js';

const line = (label, value) => console.log(`${label.padEnd(34)} ${value}`);

async function demo(alg, keys) {
  const { privateKey, publicKey } = keys;
  const claims = { sub: 'user-42', scope: 'read', exp: Math.floor(Date.now() / 1000) + 900 };
  const token = await signCompact(JSON.stringify(claims), { alg, typ: 'JWT' }, privateKey);
  line(`${alg} token`, `${token.slice(0, 48)}... (${token.length} chars)`);
  const { payload } = await verifyCompact(token, publicKey, { algorithms: [alg] });
  line(`${alg} verified claims`, new TextDecoder().decode(payload));

  const [h, p, s] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url');
  for (const [what, t] of [
    ['tampered payload', `${h}.${forged}.${s}`],
    ['alg "none"', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`],
  ]) {
    try {
      await verifyCompact(t, publicKey, { algorithms: [alg] });
      line(`${alg} ${what}`, 'ACCEPTED (this is a bug)');
      process.exitCode = 1;
    } catch (e) {
      line(`${alg} ${what}`, isJotError(e) ? `rejected: ${e.code}` : `unexpected error: ${e}`);
      if (!isJotError(e)) process.exitCode = 1;
    }
  }
}

const secret = await generateSecret('HS256');
await demo('HS256', { privateKey: secret, publicKey: secret });
await demo('ES256', await generateKeyPair('ES256'));
await demo('EdDSA', await generateKeyPair('EdDSA'));

// The data folder: the key ring's encryption key and the demo users, created on first start.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback);
// scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of milliseconds per hash).
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_PASSWORD = 1024;

/** Creates `dir` (0700) when missing. */
export function ensureDataDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Writes `content` to a new file readable by its owner only; never overwrites. */
function writeSecretFile(path, content) {
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/**
 * The 256-bit secret sealing the key ring at rest: `ring.key` in the data folder (base64url, mode 0600), generated
 * on first start. Instances sharing a Redis ring must share this file.
 */
export function ringSecret(dir) {
  const path = join(dir, 'ring.key');
  if (!existsSync(path)) {
    try {
      writeSecretFile(path, `${randomBytes(32).toString('base64url')}\n`);
    } catch (e) {
      if (e?.code !== 'EEXIST') throw e; // another instance created it first
    }
  }
  const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  if (secret.length !== 32) throw new Error(`${path} does not hold a 256-bit base64url secret`);
  return new Uint8Array(secret);
}

export async function hashPassword(password, salt = randomBytes(16)) {
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return { salt: salt.toString('base64url'), hash: hash.toString('base64url') };
}

/** `users.json` in the data folder (0600): created with the user demo / demo on first start. */
export async function loadUsers(dir) {
  const path = join(dir, 'users.json');
  if (!existsSync(path)) {
    const demo = { username: 'demo', scope: 'profile introspect', ...(await hashPassword('demo')) };
    try {
      writeSecretFile(path, `${JSON.stringify({ users: [demo] }, null, 2)}\n`);
    } catch (e) {
      if (e?.code !== 'EEXIST') throw e;
    }
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  const users = new Map();
  for (const u of Array.isArray(parsed?.users) ? parsed.users : []) {
    if (typeof u?.username !== 'string' || !USERNAME.test(u.username)) continue;
    if (typeof u.salt !== 'string' || typeof u.hash !== 'string' || typeof u.scope !== 'string') continue;
    users.set(u.username, {
      username: u.username,
      scope: u.scope.split(' ').filter(Boolean),
      salt: Buffer.from(u.salt, 'base64url'),
      hash: Buffer.from(u.hash, 'base64url'),
    });
  }
  if (users.size === 0) throw new Error(`${path} holds no usable user`);
  // An unknown user is checked against this dummy entry: the same work and the same answer (E10).
  const dummy = { salt: randomBytes(16), hash: randomBytes(32) };
  return {
    /** The user when `password` is theirs, else undefined, after one scrypt either way. */
    async check(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD) {
        return undefined;
      }
      const user = (USERNAME.test(username) && users.get(username)) || undefined;
      const entry = user ?? dummy;
      const hash = await scrypt(password, entry.salt, 32, SCRYPT);
      const match = hash.length === entry.hash.length && timingSafeEqual(hash, entry.hash);
      return match && user !== undefined ? user : undefined;
    },
  };
}

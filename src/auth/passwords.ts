// Password hashing with Node's built-in scrypt: memory-hard, no native addon to build.
//
// Cost: N=2^17, r=8, p=1, OWASP's Password Storage Cheat Sheet minimum for scrypt. Each hash takes 128 MiB of
// memory for a moment, so at most HASH_CONCURRENCY run at once; further calls wait their turn. Hashes stored
// with a lower cost still verify, and `needsRehash` says when to replace them (done at sign-in).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

interface Params {
  N: number;
  r: number;
  p: number;
}

/** The cost every new hash gets. */
export const PASSWORD_PARAMS: Params = { N: 2 ** 17, r: 8, p: 1 };
const HASH_CONCURRENCY = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function scrypt(password: string, salt: Buffer, keylen: number, params: Params): Promise<Buffer> {
  // A finishing hash hands its slot straight to the next waiter.
  if (running < HASH_CONCURRENCY) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    // scrypt needs 128 * N * r bytes; Node refuses above `maxmem` (32 MiB by default).
    const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
    return await new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** `scrypt$N$r$p$salt$key` (salt and key base64). */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = PASSWORD_PARAMS;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PASSWORD_PARAMS);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(stored: string): { params: Params; salt: Buffer; key: Buffer } | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return null;
  return { params: { N: +n, r: +r, p: +p }, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** True when `password` matches `stored`; false for a mismatch or a hash this code cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(actual, parsed.key);
}

/** True when `stored` was made with less than today's cost and should be replaced after a successful check. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const { N, r, p } = parsed.params;
  return N < PASSWORD_PARAMS.N || r < PASSWORD_PARAMS.r || p < PASSWORD_PARAMS.p;
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same work as checking a real password, for an email with no (active) account behind it: answer
 * times then do not tell which accounts exist. Always resolves false.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(password, await dummy);
  return false;
}

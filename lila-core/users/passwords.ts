import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Password hashes: scrypt, with the parameters written in each hash
 * (`scrypt$N=131072,r=8,p=1$<salt>$<key>`, base64), so that the cost can be raised later and every
 * hash still verifies at its own. A hash made at other parameters is `stale`: accounts.ts hashes
 * the password again at the current cost on the next sign-in.
 */
export type ScryptCost = { N: number; r: number; p: number };

/** OWASP's Password Storage Cheat Sheet, for scrypt: N = 2^17 (128 MiB), r = 8, p = 1. */
export const OWASP_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/** Hashes made before the parameters were written in them (`scrypt$<salt>$<key>`) used these. */
const LEGACY: ScryptCost = { N: 16384, r: 8, p: 1 };

/** What a stored hash may ask for, at most: a corrupted or hostile one must not take the memory. */
const MAX: ScryptCost = { N: 2 ** 20, r: 32, p: 16 };

/**
 * `SCRYPT_N`: the cost of new hashes. OWASP's by default; the test stack lowers it, as its suites
 * make hundreds of accounts (each hash at 2^17 takes about half a second of a core).
 */
export const ScryptN = z.coerce
  .number()
  .int()
  .refine((n) => n >= 1024 && n <= MAX.N && (n & (n - 1)) === 0, 'a power of two from 1024 to 1048576')
  .default(OWASP_SCRYPT.N);

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
const PARAMS = /^N=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})$/;

const derive = (password: string, salt: Buffer, { N, r, p }: ScryptCost) =>
  new Promise<Buffer>((resolve, reject) =>
    // Node refuses above 32 MiB unless told: scrypt takes 128 × N × r bytes, and a little more.
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 2 * 128 * N * r * p }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

const format = ({ N, r, p }: ScryptCost) => `N=${N},r=${r},p=${p}`;

/** A stored hash taken apart; undefined when it is not one we make, or asks for too much. */
function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return undefined;
  let cost = LEGACY;
  if (parts.length === 4) {
    const m = PARAMS.exec(parts[1] ?? '');
    if (!m) return undefined;
    cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    parts.splice(1, 1);
  }
  const [, salt, key] = parts;
  if (parts.length !== 3 || !salt || !key) return undefined;
  const { N, r, p } = cost;
  if (N < 2 || N > MAX.N || (N & (N - 1)) !== 0 || r < 1 || r > MAX.r || p < 1 || p > MAX.p) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export function createPasswords(cost: ScryptCost = OWASP_SCRYPT) {
  const current = format(cost);
  return {
    async hash(password: string): Promise<string> {
      const salt = randomBytes(SALT_LENGTH);
      const key = await derive(password, salt, cost);
      return `scrypt$${current}$${salt.toString('base64')}$${key.toString('base64')}`;
    },

    /** Whether `password` matches; `stale`: the hash was made at other parameters than the current ones. */
    async verify(password: string, stored: string): Promise<{ ok: boolean; stale: boolean }> {
      const parsed = parse(stored);
      if (!parsed) return { ok: false, stale: false };
      const stale = format(parsed.cost) !== current;
      const actual = await derive(password, parsed.salt, parsed.cost);
      return { ok: actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key), stale };
    },
  };
}
export type Passwords = ReturnType<typeof createPasswords>;

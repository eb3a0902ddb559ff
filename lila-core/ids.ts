import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Random bytes drawn from the system's CSPRNG a few KB at a time: an id is made for every saved
 * move (its write id), and one call into OpenSSL per id cost more than the rest of the id.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let next = 0;

function randomByte(): number {
  if (next === pool.length) [pool, next] = [randomBytes(POOL_BYTES), 0];
  return pool[next++];
}

/** A random id of `length` characters in [A-Za-z0-9], like lichess's 8-character game ids. */
export function randomId(length = 8): string {
  let id = '';
  // 62 does not divide 256: skip bytes ≥ 248 so every character is equally likely.
  while (id.length < length) {
    const byte = randomByte();
    if (byte < 248) id += alphabet[byte % 62];
  }
  return id;
}

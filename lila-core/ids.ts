import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random id of `length` characters in [A-Za-z0-9], like lichess's 8-character game ids. */
export function randomId(length = 8): string {
  const bytes = randomBytes(length * 2);
  let id = '';
  // 62 does not divide 256: skip bytes ≥ 248 so every character is equally likely.
  for (let i = 0; i < bytes.length && id.length < length; i++) if (bytes[i] < 248) id += alphabet[bytes[i] % 62];
  return id.length === length ? id : randomId(length);
}

import { randomBytes, scryptSync } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { createPasswords, OWASP_SCRYPT, ScryptN } from '../../lila-core/users/passwords.js';

/** Password hashes: scrypt at OWASP's cost by default, the parameters stored in each hash. */

const PASSWORD = 'correct horse battery';
/** A hash as accounts stored them before the parameters were: `scrypt$<salt>$<key>`, N = 16384. */
const legacyHash = (password: string) => {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
};

describe('the default cost', () => {
  test("is OWASP's Password Storage Cheat Sheet's for scrypt: N = 2^17, r = 8, p = 1", () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
  });

  test('SCRYPT_N defaults to it, and takes only powers of two from 2^10 to 2^20', () => {
    expect(loadConfig({ SCRYPT_N: ScryptN }, {})).toEqual({ SCRYPT_N: 131072 });
    expect(loadConfig({ SCRYPT_N: ScryptN }, { SCRYPT_N: '16384' })).toEqual({ SCRYPT_N: 16384 });
    for (const bad of ['1000', '512', String(2 ** 21), 'x'])
      expect(ScryptN.safeParse(bad)).toMatchObject({ success: false });
  });

  test('hashes made without a cost are made at it, and say so', async () => {
    const stored = await createPasswords().hash(PASSWORD);
    expect(stored).toMatch(/^scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect(await createPasswords().verify(PASSWORD, stored)).toEqual({ ok: true, stale: false });
  });
});

describe('hashes carry their parameters', () => {
  const cheap = createPasswords({ N: 1024, r: 8, p: 1 });

  test('a password matches its own hash only; salts differ', async () => {
    const [a, b] = [await cheap.hash(PASSWORD), await cheap.hash(PASSWORD)];
    expect(a).toMatch(/^scrypt\$N=1024,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(await cheap.verify(PASSWORD, a)).toEqual({ ok: true, stale: false });
    expect(await cheap.verify(`${PASSWORD}!`, a)).toEqual({ ok: false, stale: false });
  });

  test('a hash made at another cost still verifies, with its own parameters, and is marked stale', async () => {
    const stored = await cheap.hash(PASSWORD);
    const dearer = createPasswords({ N: 2048, r: 8, p: 1 });
    expect(await dearer.verify(PASSWORD, stored)).toEqual({ ok: true, stale: true });
    expect(await dearer.verify('nope', stored)).toEqual({ ok: false, stale: true });
  });

  test('hashes of the old format (no parameters: N = 16384) still verify, and are marked stale', async () => {
    const stored = legacyHash(PASSWORD);
    expect(await cheap.verify(PASSWORD, stored)).toEqual({ ok: true, stale: true });
    expect(await cheap.verify('wrong password', stored)).toEqual({ ok: false, stale: true });
  });

  test('a malformed hash, or one with parameters out of bounds, verifies nothing and does not throw', async () => {
    const good = (await cheap.hash(PASSWORD)).split('$');
    for (const stored of [
      '',
      'scrypt',
      'scrypt$$',
      'bcrypt$abc$def',
      `scrypt$N=1024,r=8$${good[2]}$${good[3]}`,
      `scrypt$N=1000,r=8,p=1$${good[2]}$${good[3]}`,
      `scrypt$N=1073741824,r=8,p=1$${good[2]}$${good[3]}`,
      `scrypt$N=1024,r=8,p=1$${good[2]}`,
      `scrypt$N=1024,r=8,p=1$${good[2]}$`,
    ])
      expect(await cheap.verify(PASSWORD, stored)).toMatchObject({ ok: false });
  });
});

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { isAnonymous, type Player } from '../../protocol/game.js';
import type { UserStore } from './store.js';

/** Accounts: creation, sign-in and names. Passwords are kept only as salted scrypt hashes. */

const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 64;

const derive = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );

async function hash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await derive(password, salt)).toString('base64')}`;
}

async function matches(password: string, stored: string): Promise<boolean> {
  const [, salt, key] = stored.split('$');
  if (!salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function createAccounts(users: UserStore) {
  const find = async (id: string): Promise<Player | undefined> => {
    const user = await users.findOne({ _id: id.toLowerCase() }, { projection: { name: 1 } });
    return user ? { id: user._id, name: user.name } : undefined;
  };

  return {
    /** Resolves to the new player, or undefined when the name is taken (in any case). */
    async create(name: string, password: string): Promise<Player | undefined> {
      const id = name.toLowerCase();
      try {
        await users.insertOne({ _id: id, name, password: await hash(password), createdAt: new Date() });
      } catch (err) {
        // MongoDB's duplicate key: the id, that is the name in any case, is taken.
        if ((err as { code?: number }).code === 11000) return undefined;
        throw err;
      }
      return { id, name };
    },
    async authenticate(name: string, password: string): Promise<Player | undefined> {
      const user = await users.findOne({ _id: name.toLowerCase() });
      if (!user || !(await matches(password, user.password))) return undefined;
      return { id: user._id, name: user.name };
    },
    find,
    /** A player's name as shown in the lobby; its id if the account is gone. */
    nameOf: async (id: string): Promise<string> => (isAnonymous(id) ? 'Anonymous' : ((await find(id))?.name ?? id)),
  };
}
export type Accounts = ReturnType<typeof createAccounts>;

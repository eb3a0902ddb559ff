import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Player } from '../protocol/game.js';

/** Accounts. The id is the lowercased name; passwords are kept only as salted scrypt hashes. */
type UserDoc = { _id: string; name: string; password: string; createdAt: Date };

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

export function createAccounts(db: Db) {
  const users: Collection<UserDoc> = db.collection('users');

  return {
    /** Resolves to the new player, or undefined when the name is taken (in any case). */
    async create(name: string, password: string): Promise<Player | undefined> {
      const id = name.toLowerCase();
      try {
        await users.insertOne({ _id: id, name, password: await hash(password), createdAt: new Date() });
      } catch (err) {
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
    async find(id: string): Promise<Player | undefined> {
      const user = await users.findOne({ _id: id.toLowerCase() }, { projection: { name: 1 } });
      return user ? { id: user._id, name: user.name } : undefined;
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;

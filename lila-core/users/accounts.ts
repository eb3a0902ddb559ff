import { isAnonymous, type Player } from '../../protocol/game.js';
import type { Logger } from '../../src/log.js';
import type { Passwords } from './passwords.js';
import type { UserStore } from './store.js';

/**
 * Accounts: creation, sign-in and names. Passwords are kept only as salted scrypt hashes
 * (passwords.ts); one made at an older cost is hashed again at the current one on sign-in.
 */

export function createAccounts(users: UserStore, passwords: Passwords, log: Logger) {
  const find = async (id: string): Promise<Player | undefined> => {
    const user = await users.findOne({ _id: id.toLowerCase() }, { projection: { name: 1 } });
    return user ? { id: user._id, name: user.name } : undefined;
  };

  return {
    /** Resolves to the new player, or undefined when the name is taken (in any case). */
    async create(name: string, password: string): Promise<Player | undefined> {
      const id = name.toLowerCase();
      try {
        await users.insertOne({ _id: id, name, password: await passwords.hash(password), createdAt: new Date() });
      } catch (err) {
        // MongoDB's duplicate key: the id, that is the name in any case, is taken.
        if ((err as { code?: number }).code === 11000) return undefined;
        throw err;
      }
      return { id, name };
    },
    /**
     * The player whose name and password these are. Never an `anon-` account: such names are refused
     * at creation, and one made before that rule would take over an anonymous player's games.
     */
    async authenticate(name: string, password: string): Promise<Player | undefined> {
      const user = await users.findOne({ _id: name.toLowerCase() });
      if (!user || isAnonymous(user._id)) return undefined;
      const { ok, stale } = await passwords.verify(password, user.password);
      if (!ok) return undefined;
      if (stale)
        await passwords
          .hash(password)
          .then((hash) => users.updateOne({ _id: user._id, password: user.password }, { $set: { password: hash } }))
          // The sign-in stands: the old hash still verifies, and is hashed again at the next one.
          .catch((err: Error) => log.warn({ err: err.message, user: user._id }, 'could not rehash a password'));
      return { id: user._id, name: user.name };
    },
    find,
    /** A player's name as shown in the lobby; its id if the account is gone. */
    nameOf: async (id: string): Promise<string> => (isAnonymous(id) ? 'Anonymous' : ((await find(id))?.name ?? id)),
  };
}
export type Accounts = ReturnType<typeof createAccounts>;

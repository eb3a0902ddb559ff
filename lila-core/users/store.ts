import type { Collection, Db } from 'mongodb';
import type { CountJson, RatedSpeed } from '../../protocol/user.js';
import type { Glicko } from '../game/glicko.js';

/** One speed's rating, as stored: Glicko-2 unrounded, and how many rated games made it. */
export type Perf = Glicko & { games: number };

/**
 * One document per account, in `users`; this is the only module that opens the collection.
 * The id is the lowercased name; the password is kept only as a salted scrypt hash (passwords.ts).
 * Ratings and game counts come with the first finished game (ratings.ts): accounts made before
 * ratings existed have neither, and read as defaults.
 */
export type UserDoc = {
  _id: string;
  name: string;
  password: string;
  createdAt: Date;
  perfs?: Partial<Record<RatedSpeed, Perf>>;
  count?: CountJson;
};

export type UserStore = Collection<UserDoc>;

export const openUsers = (db: Db): UserStore => db.collection<UserDoc>('users');

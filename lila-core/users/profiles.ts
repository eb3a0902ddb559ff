import type { CountJson, RatedSpeed, UserJson } from '../../protocol/user.js';
import { DEFAULT_GLICKO } from '../game/glicko.js';
import type { Perf, UserStore } from './store.js';

/** What `GET /api/user/:id` shows of an account: its ratings, rounded, and its game counts. */
const SPEEDS: readonly RatedSpeed[] = ['bullet', 'blitz', 'rapid', 'classical'];
const NO_COUNT: CountJson = { games: 0, win: 0, loss: 0, draw: 0 };

const perfJson = (perf: Perf | undefined) => ({
  rating: Math.round(perf?.rating ?? DEFAULT_GLICKO.rating),
  rd: Math.round(perf?.rd ?? DEFAULT_GLICKO.rd),
  games: perf?.games ?? 0,
});

export function createProfiles(users: UserStore) {
  return {
    /** The profile, or undefined for an unknown (or anonymous) user. */
    async find(id: string): Promise<UserJson | undefined> {
      const doc = await users.findOne({ _id: id.toLowerCase() }, { projection: { name: 1, perfs: 1, count: 1 } });
      if (!doc) return undefined;
      const ratings = Object.fromEntries(SPEEDS.map((s) => [s, perfJson(doc.perfs?.[s])])) as UserJson['ratings'];
      return { id: doc._id, name: doc.name, ratings, count: { ...NO_COUNT, ...doc.count } };
    },
  };
}
export type Profiles = ReturnType<typeof createProfiles>;

import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import { isAnonymous, type Color, type Player } from '../protocol/game.js';
import type { CountJson, RatedSpeed, UserJson } from '../protocol/user.js';
import type { Logger } from '../src/log.js';
import { ratedSpeedOf } from './game/clock.js';
import type { Game } from './game/game.js';
import { DEFAULT_GLICKO, type Glicko, type Pair } from './game/glicko.js';

type Perf = Glicko & { games: number };

/**
 * A user's ratings and game counts, kept in the accounts' `users` documents (accounts.ts owns the
 * rest). Accounts made before ratings existed have neither: they read as defaults.
 */
type StatsDoc = {
  _id: string;
  name: string;
  perfs?: Partial<Record<RatedSpeed, Perf>>;
  count?: CountJson;
};

const SPEEDS: readonly RatedSpeed[] = ['bullet', 'blitz', 'rapid', 'classical'];
const NO_COUNT: CountJson = { games: 0, win: 0, loss: 0, draw: 0 };

const perfJson = (perf: Perf | undefined) => ({
  rating: Math.round(perf?.rating ?? DEFAULT_GLICKO.rating),
  rd: Math.round(perf?.rd ?? DEFAULT_GLICKO.rd),
  games: perf?.games ?? 0,
});

const glickoOf = (perf: Perf | undefined): Glicko =>
  perf ? { rating: perf.rating, rd: perf.rd, vol: perf.vol } : DEFAULT_GLICKO;

const resultOf = (game: Game, color: Color): 'win' | 'loss' | 'draw' =>
  game.winner === null ? 'draw' : game.winner === color ? 'win' : 'loss';

export function createUsers(db: Db, log: Logger) {
  const users: Collection<StatsDoc> = db.collection('users');

  /**
   * Applies one game's result to one account. The rating moves by this game's change rather than
   * being overwritten, so that two games of one player ending close together both count.
   */
  async function record(
    id: string,
    speed: RatedSpeed,
    counted: Record<string, number>,
    change?: { before: Glicko; after: Glicko },
  ): Promise<void> {
    if (!change) return void (await users.updateOne({ _id: id }, { $inc: counted }));
    const { before, after } = change;
    const path = `perfs.${speed}`;
    const has = { _id: id, [`${path}.rating`]: { $exists: true } } as Filter<StatsDoc>;
    const hasNot = { _id: id, [`${path}.rating`]: { $exists: false } } as Filter<StatsDoc>;
    const moved = {
      $inc: { ...counted, [`${path}.rating`]: after.rating - before.rating, [`${path}.games`]: 1 },
      $set: { [`${path}.rd`]: after.rd, [`${path}.vol`]: after.vol },
    } as UpdateFilter<StatsDoc>;
    const first = {
      $inc: counted,
      $set: {
        [path]: {
          rating: DEFAULT_GLICKO.rating + after.rating - before.rating,
          rd: after.rd,
          vol: after.vol,
          games: 1,
        },
      },
    } as UpdateFilter<StatsDoc>;
    // A first rated game at this speed creates the perf; losing that race to another game retries.
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await users.updateOne(has, moved)).matchedCount === 1) return;
      if ((await users.updateOne(hasNot, first)).matchedCount === 1) return;
      if (!(await users.findOne({ _id: id }, { projection: { _id: 1 } }))) return;
    }
    throw new Error(`could not rate ${id}`);
  }

  return {
    /** `GET /api/user/:id`, or undefined for an unknown (or anonymous) user. */
    async find(id: string): Promise<UserJson | undefined> {
      const doc = await users.findOne({ _id: id.toLowerCase() }, { projection: { name: 1, perfs: 1, count: 1 } });
      if (!doc) return undefined;
      const ratings = Object.fromEntries(SPEEDS.map((s) => [s, perfJson(doc.perfs?.[s])])) as UserJson['ratings'];
      return { id: doc._id, name: doc.name, ratings, count: { ...NO_COUNT, ...doc.count } };
    },

    /** Both players' current ratings at `speed`, the default for one without any yet. */
    async ratings(players: Pair<Player>, speed: RatedSpeed): Promise<Pair<Glicko>> {
      const docs = await users
        .find({ _id: { $in: [players.white.id, players.black.id] } }, { projection: { [`perfs.${speed}`]: 1 } })
        .toArray();
      const of = (id: string) => glickoOf(docs.find((d) => d._id === id)?.perfs?.[speed]);
      return { white: of(players.white.id), black: of(players.black.id) };
    },

    /**
     * A game just ended and is stored: counts it for both accounts and, when rated, applies the
     * new ratings. Never rejects: the game's result stands whatever happens here, so a failure is
     * logged rather than allowed to hold back the game's events.
     */
    async recordEnd(game: Game): Promise<void> {
      if (game.status === 'aborted') return;
      const speed = ratedSpeedOf(game.clockConfig);
      await Promise.all(
        (['white', 'black'] as const).map(async (color) => {
          const { id } = game.players[color];
          if (isAnonymous(id)) return;
          const counted = { 'count.games': 1, [`count.${resultOf(game, color)}`]: 1 };
          const change =
            game.ratings && game.ratingsAfter
              ? { before: game.ratings[color], after: game.ratingsAfter[color] }
              : undefined;
          await record(id, speed, counted, change).catch((err: Error) =>
            log.error({ err: err.message, user: id, game: game.id }, 'could not record a game for a user'),
          );
        }),
      );
    },
  };
}
export type Users = ReturnType<typeof createUsers>;

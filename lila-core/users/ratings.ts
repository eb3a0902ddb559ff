import type { Filter, UpdateFilter } from 'mongodb';
import { isAnonymous, type ClockConfig, type Color, type Player } from '../../protocol/game.js';
import type { RatedSpeed } from '../../protocol/user.js';
import type { Logger } from '../../src/log.js';
import { ratedSpeedOf } from '../game/clock.js';
import type { Game } from '../game/game.js';
import { DEFAULT_GLICKO, type Glicko, type Pair } from '../game/glicko.js';
import type { Perf, UserDoc, UserStore } from './store.js';

/** Users' ratings and game counts: read when a game starts or a pool pairs, moved when a game ends. */
const glickoOf = (perf: Perf | undefined): Glicko =>
  perf ? { rating: perf.rating, rd: perf.rd, vol: perf.vol } : DEFAULT_GLICKO;

/** Reads only whether an account exists. */
const idOnly = { projection: { _id: 1 } } as const;
/** Reads only one speed's perf of an account. */
// Stryker disable next-line ObjectLiteral: a projection only trims what is read; the values used are the same
const perfOnly = (speed: RatedSpeed) => ({ projection: { [`perfs.${speed}`]: 1 } });

const resultOf = (game: Game, color: Color): 'win' | 'loss' | 'draw' =>
  game.winner === null ? 'draw' : game.winner === color ? 'win' : 'loss';

export function createRatings(users: UserStore, log: Logger) {
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
    const has = { _id: id, [`${path}.rating`]: { $exists: true } } as Filter<UserDoc>;
    const hasNot = { _id: id, [`${path}.rating`]: { $exists: false } } as Filter<UserDoc>;
    const moved = {
      $inc: { ...counted, [`${path}.rating`]: after.rating - before.rating, [`${path}.games`]: 1 },
      $set: { [`${path}.rd`]: after.rd, [`${path}.vol`]: after.vol },
    } as UpdateFilter<UserDoc>;
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
    } as UpdateFilter<UserDoc>;
    // A first rated game at this speed creates the perf; losing that race to another game retries.
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await users.updateOne(has, moved)).matchedCount === 1) return;
      if ((await users.updateOne(hasNot, first)).matchedCount === 1) return;
      if (!(await users.findOne({ _id: id }, idOnly))) return;
    }
    throw new Error(`could not rate ${id}`);
  }

  return {
    /** A player's rating for a pool with `clock`, rounded as shown; the default if anonymous or unrated. */
    ratingOf: async (id: string, clock: ClockConfig): Promise<number> => {
      if (isAnonymous(id)) return DEFAULT_GLICKO.rating;
      const speed = ratedSpeedOf(clock);
      const doc = await users.findOne({ _id: id.toLowerCase() }, perfOnly(speed));
      return Math.round(doc?.perfs?.[speed]?.rating ?? DEFAULT_GLICKO.rating);
    },

    /** Both players' current ratings at `speed`, the default for one without any yet. */
    ratings: async (players: Pair<Player>, speed: RatedSpeed): Promise<Pair<Glicko>> => {
      const both = { $in: [players.white.id, players.black.id] };
      // Stryker disable next-line ObjectLiteral: without the filter all accounts are read, and each side still picked by id
      const docs = await users.find({ _id: both }, perfOnly(speed)).toArray();
      const of = (id: string) => glickoOf(docs.find((d) => d._id === id)?.perfs?.[speed]);
      return { white: of(players.white.id), black: of(players.black.id) };
    },

    /**
     * A game just ended and is stored: counts it for both accounts and, when rated, applies the
     * new ratings. Never rejects: the game's result stands whatever happens here, so a failure is
     * logged rather than allowed to hold back the game's events.
     */
    recordEnd: async (game: Game): Promise<void> => {
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
export type Ratings = ReturnType<typeof createRatings>;

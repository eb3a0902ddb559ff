import type { Collection, Db } from 'mongodb';
import type { ClockConfig, Color, Player, Status } from '../../protocol/game.js';
import { replay } from './chess.js';
import { noOffers, type Game, type Offers } from './game.js';
import { initialClock } from './clock.js';
import type { Glicko, Pair } from './glicko.js';

/** How a game is stored. Positions, SANs and FEN are derived from `moves` on load. */
type GameDoc = {
  _id: string;
  players: { white: Player; black: Player };
  clock: ClockConfig;
  moves: string[];
  status: Status;
  winner: Color | null;
  v: number;
  /** Remaining milliseconds of each side at the start of the current turn. */
  remaining: { white: number; black: number };
  runningSince: Date | null;
  lagQuota?: { white: number; black: number };
  /** The mover's remaining ms after each move. */
  clockHistory?: number[];
  lastMoveAt?: Date;
  lastMoveFrom?: Game['lastMoveFrom'];
  offers?: Offers;
  rated?: boolean;
  ratings?: Pair<Glicko>;
  ratingsAfter?: Pair<Glicko>;
  /** Both players' ids, for a user's games through the `{ userIds, createdAt, _id }` index. */
  userIds?: string[];
  createdAt: Date;
  updatedAt: Date;
};

/** A page of a user's games. */
export const USER_GAMES_PER_PAGE = 10;

const toDoc = (game: Game, now: number): GameDoc => ({
  _id: game.id,
  players: game.players,
  clock: game.clockConfig,
  moves: game.moves,
  status: game.status,
  winner: game.winner,
  v: game.v,
  remaining: game.clock.remaining,
  runningSince: game.clock.runningSince === null ? null : new Date(game.clock.runningSince),
  lagQuota: game.clock.lagQuota,
  clockHistory: game.clockHistory,
  lastMoveAt: new Date(game.lastMoveAt),
  lastMoveFrom: game.lastMoveFrom,
  offers: game.offers,
  rated: game.rated,
  ...(game.ratings ? { ratings: game.ratings } : {}),
  ...(game.ratingsAfter ? { ratingsAfter: game.ratingsAfter } : {}),
  userIds: [game.players.white.id, game.players.black.id],
  createdAt: new Date(game.createdAt),
  updatedAt: new Date(now),
});

function fromDoc(doc: GameDoc): Game {
  const { position, sans, fen, positions } = replay(doc.moves);
  return {
    id: doc._id,
    players: doc.players,
    clockConfig: doc.clock,
    clock: {
      remaining: doc.remaining,
      runningSince: doc.runningSince?.getTime() ?? null,
      lagQuota: doc.lagQuota ?? initialClock(doc.clock).lagQuota,
    },
    moves: doc.moves,
    sans,
    clockHistory: doc.clockHistory ?? [],
    position,
    fen,
    positions,
    status: doc.status,
    winner: doc.winner,
    v: doc.v,
    createdAt: doc.createdAt.getTime(),
    lastMoveAt: (doc.lastMoveAt ?? doc.updatedAt).getTime(),
    lastMoveFrom: doc.lastMoveFrom ?? {},
    offers: { ...noOffers(), ...doc.offers },
    rated: doc.rated ?? false,
    ...(doc.ratings ? { ratings: doc.ratings } : {}),
    ...(doc.ratingsAfter ? { ratingsAfter: doc.ratingsAfter } : {}),
  };
}

export function createGameRepo(db: Db) {
  const games: Collection<GameDoc> = db.collection('games');

  return {
    async init(): Promise<void> {
      await games.createIndex({ status: 1 });
      // `_id` breaks ties between games created in the same millisecond, so pages never overlap.
      await games.createIndex({ userIds: 1, createdAt: -1, _id: -1 });
      // Games stored before `userIds` existed join their players' lists once.
      for await (const doc of games.find({ userIds: { $exists: false } }, { projection: { players: 1 } }))
        await games.updateOne({ _id: doc._id }, { $set: { userIds: [doc.players.white.id, doc.players.black.id] } });
    },
    async insert(game: Game, now: number): Promise<void> {
      await games.insertOne(toDoc(game, now));
    },
    async find(id: string): Promise<Game | undefined> {
      const doc = await games.findOne({ _id: id });
      return doc ? fromDoc(doc) : undefined;
    },
    async unfinished(): Promise<Game[]> {
      return (await games.find({ status: 'started' }).toArray()).map(fromDoc);
    },
    /** Page `page` (from 1) of `userId`'s games, newest first, and whether another page follows. */
    async byUser(userId: string, page: number): Promise<{ games: Game[]; more: boolean }> {
      const docs = await games
        .find({ userIds: userId })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * USER_GAMES_PER_PAGE)
        .limit(USER_GAMES_PER_PAGE + 1)
        .toArray();
      return { games: docs.slice(0, USER_GAMES_PER_PAGE).map(fromDoc), more: docs.length > USER_GAMES_PER_PAGE };
    },
    /** Stores `next` over the version it came from; fails loudly if that version moved. */
    async update(previousV: number, next: Game, now: number): Promise<void> {
      const { _id, createdAt, ...changed } = toDoc(next, now);
      void createdAt;
      const result = await games.updateOne({ _id, v: previousV }, { $set: changed });
      if (result.matchedCount !== 1) throw new Error(`game ${_id} is not at version ${previousV} in MongoDB`);
    },
  };
}
export type GameRepo = ReturnType<typeof createGameRepo>;

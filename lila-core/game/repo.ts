import type { Collection, Db } from 'mongodb';
import type { ClockConfig, Color, Player, Status } from '../../protocol/game.js';
import { replay } from './chess.js';
import { noOffers, type Game, type Offers } from './game.js';
import { initialClock } from './clock.js';

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
  createdAt: Date;
  updatedAt: Date;
};

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
  };
}

export function createGameRepo(db: Db) {
  const games: Collection<GameDoc> = db.collection('games');

  return {
    async init(): Promise<void> {
      await games.createIndex({ status: 1 });
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

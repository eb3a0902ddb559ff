import type { Collection, Db } from 'mongodb';
import type { ClockConfig, Color, Player, Status } from '../../protocol/game.js';
import { replay } from './chess.js';
import { noOffers, type Game, type Offers } from './game.js';
import { initialClock } from './clock.js';
import type { Glicko, Pair } from './glicko.js';
import { createJournal, type JournalEntry } from './journal.js';

/** How a game is stored. Positions, SANs and FEN are derived from `moves` on load. */
type GameDoc = {
  _id: string;
  players: { white: Player; black: Player };
  clock: ClockConfig;
  moves: string[];
  status: Status;
  winner: Color | null;
  v: number;
  /** Versions up to this one may have been published (reservation.ts). */
  reserved?: number;
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
  ...(game.reserved === undefined ? {} : { reserved: game.reserved }),
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
    ...(doc.reserved === undefined ? {} : { reserved: doc.reserved }),
    createdAt: doc.createdAt.getTime(),
    lastMoveAt: (doc.lastMoveAt ?? doc.updatedAt).getTime(),
    lastMoveFrom: doc.lastMoveFrom ?? {},
    offers: { ...noOffers(), ...doc.offers },
    rated: doc.rated ?? false,
    ...(doc.ratings ? { ratings: doc.ratings } : {}),
    ...(doc.ratingsAfter ? { ratingsAfter: doc.ratingsAfter } : {}),
  };
}

/** How often the journal entries of finished games are deleted, together. */
const FORGET_EVERY_MS = 10_000;

/**
 * Games in MongoDB. A game's document holds its state when it is created and when it ends; in
 * between, each new state goes to the journal (journal.ts), an append that costs a fraction of an
 * update. Loading a game takes the newer of its document and its latest journal entry.
 */
export function createGameRepo(db: Db) {
  const games: Collection<GameDoc> = db.collection('games');
  const journal = createJournal<GameDoc>(db.collection<JournalEntry<GameDoc>>('game_journal'));
  let finished: string[] = [];
  const newest = (doc: GameDoc, entry: JournalEntry<GameDoc> | undefined): GameDoc =>
    entry && entry.v > doc.v ? entry.doc : doc;

  return {
    async init(): Promise<void> {
      await journal.init();
      setInterval(() => {
        const ids = finished;
        finished = [];
        // Tried again with the next batch: a finished game's journal is never read again (its
        // document is final), so entries left behind only take space meanwhile.
        journal.forget(ids).catch(() => (finished = [...ids, ...finished]));
      }, FORGET_EVERY_MS).unref();
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
      if (!doc) return undefined;
      // A finished game's document is final; a live one may have gone on in the journal.
      return fromDoc(doc.status === 'started' ? newest(doc, (await journal.latest([id])).get(id)) : doc);
    },
    async unfinished(): Promise<Game[]> {
      const docs = await games.find({ status: 'started' }).toArray();
      const entries = await journal.latest(docs.map((d) => d._id));
      return docs.map((doc) => fromDoc(newest(doc, entries.get(doc._id))));
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
    /**
     * Stores `next`, which follows version `previousV`: in the journal while the game goes on (a
     * version stored twice fails loudly), in the game's document once it is over.
     */
    async update(previousV: number, next: Game, now: number): Promise<void> {
      const doc = toDoc(next, now);
      if (next.status === 'started') return journal.append(doc._id, doc.v, doc);
      const { _id, createdAt, ...changed } = doc;
      void createdAt;
      const result = await games.updateOne({ _id, v: { $lte: previousV } }, { $set: changed });
      if (result.matchedCount !== 1) throw new Error(`game ${_id} is past version ${previousV} in MongoDB`);
      finished.push(_id);
    },
  };
}
export type GameRepo = ReturnType<typeof createGameRepo>;

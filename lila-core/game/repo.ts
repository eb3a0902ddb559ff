import type { Collection, Db } from 'mongodb';
import { WRITE_TIMEOUT_MS, within } from '../db.js';
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
  /** A tournament game's tournament, and the sides that went berserk. */
  tournament?: Game['tournament'];
  berserk?: Game['berserk'];
  /** Both players' ids, for a user's games through the `{ userIds, createdAt, _id }` index. */
  userIds?: string[];
  createdAt: Date;
  updatedAt: Date;
  /** The id of the write that stored this state: how a save in doubt is told to have landed. */
  w?: string;
};

/** A game as stored, and the id of the write that stored it (absent before write ids existed). */
export type Stored = { game: Game; w?: string };

/** A page of a user's games. */
export const USER_GAMES_PER_PAGE = 10;

const toDoc = (game: Game, now: number, w?: string): GameDoc => ({
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
  ...(game.tournament ? { tournament: game.tournament } : {}),
  ...(game.berserk ? { berserk: game.berserk } : {}),
  userIds: [game.players.white.id, game.players.black.id],
  createdAt: new Date(game.createdAt),
  updatedAt: new Date(now),
  ...(w === undefined ? {} : { w }),
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
    ...(doc.tournament ? { tournament: doc.tournament } : {}),
    ...(doc.berserk ? { berserk: doc.berserk } : {}),
  };
}

/** How often the journal entries of finished games are deleted, together. */
const FORGET_EVERY_MS = 10_000;

/**
 * Games in MongoDB. A game's document holds its state when it is created and when it ends; in
 * between, each new state goes to the journal (journal.ts), an append that costs a fraction of an
 * update. Loading a game takes the newer of its document and its latest journal entry.
 */
export function createGameRepo(db: Db, o: { timeoutMs?: number; journalLimit?: number } = {}) {
  const timeoutMs = o.timeoutMs ?? WRITE_TIMEOUT_MS;
  const games: Collection<GameDoc> = db.collection('games');
  const journal = createJournal<GameDoc>(db.collection<JournalEntry<GameDoc>>('game_journal'), {
    timeoutMs,
    queueLimit: o.journalLimit,
  });
  let finished: string[] = [];
  const newest = (doc: GameDoc, entry: JournalEntry<GameDoc> | undefined): GameDoc =>
    entry && entry.v > doc.v ? entry.doc : doc;
  /** The document of game `_id`, changed to `doc` where its version is within `filter`. */
  const rewrite = async (doc: GameDoc, v: { $lte: number } | { $lt: number }, what: string) => {
    const { _id, createdAt, ...changed } = doc;
    void createdAt;
    const set = games.updateOne({ _id, v }, { $set: changed }, { maxTimeMS: timeoutMs });
    const result = await within(set, timeoutMs, what);
    if (result.matchedCount !== 1)
      throw new Error(`game ${_id} is past version ${'$lt' in v ? v.$lt - 1 : v.$lte} in MongoDB`);
  };

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
      return (await this.read(id))?.game;
    },
    /** The game as stored and the id of its write; `timed`: given up after the write timeout. */
    async read(id: string, o: { timed?: boolean } = {}): Promise<Stored | undefined> {
      const signal = o.timed ? AbortSignal.timeout(timeoutMs) : undefined;
      const reading = (async () => {
        const doc = await games.findOne({ _id: id }, signal ? { signal } : {});
        if (!doc) return undefined;
        // A finished game's journal, if any is left (its end was saved in doubt), can go.
        if (doc.status !== 'started') finished.push(id);
        // A finished game's document is final; a live one may have gone on in the journal.
        const latest = doc.status === 'started' ? newest(doc, (await journal.latest([id], signal)).get(id)) : doc;
        return { game: fromDoc(latest), w: latest.w };
      })();
      return o.timed ? within(reading, timeoutMs, 'read') : reading;
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
     * Stores `next`, which follows version `previousV`, as write `w`: in the journal while the game
     * goes on (a version stored twice fails loudly), in the game's document once it is over. Any
     * failure but JournalFull may have stored it all the same (games.ts settles that).
     */
    async update(previousV: number, next: Game, now: number, w?: string): Promise<void> {
      const doc = toDoc(next, now, w);
      if (next.status === 'started') return journal.append(doc._id, doc.v, doc);
      await rewrite(doc, { $lte: previousV }, 'game end');
      finished.push(doc._id);
    },
    /**
     * A fence after a write in doubt did not land (settle.ts): the game's true state, stored in its
     * document at a version past every write that may still land late. Those write journal entries
     * at lower versions, which loading passes over, or the document where its version is lower,
     * which no longer matches: none of them can change the game any more.
     */
    async fence(game: Game, now: number, w: string): Promise<void> {
      await rewrite(toDoc(game, now, w), { $lt: game.v }, 'fence');
    },
    /** States waiting for the journal's next batch. */
    get queued(): number {
      return journal.queued;
    },
  };
}
export type GameRepo = ReturnType<typeof createGameRepo>;

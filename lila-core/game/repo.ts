import type { Collection, Db } from 'mongodb';
import { WRITE_TIMEOUT_MS, within } from '../db.js';
import type { Game } from './game.js';
import { fromDoc, toDoc, type GameDoc } from './game-doc.js';
import { applyEntry, deltaOf, type Delta } from './delta.js';
import { createJournal, type JournalEntry } from './journal.js';

/** A game as stored, and the id of the write that stored it (absent before write ids existed). */
export type Stored = { game: Game; w?: string };

/** A page of a user's games. */
export const USER_GAMES_PER_PAGE = 10;

/** How often the journal entries of finished games are deleted, together. */
const FORGET_EVERY_MS = 10_000;

/** A journal entry: what a state changed (delta.ts), or a whole state as stored before deltas. */
type Entry = JournalEntry<Delta | GameDoc>;

/**
 * Games in MongoDB. A game's document holds its state when it is created, when it ends, and at the
 * fence of an end in doubt (settle.ts); in between, each new state goes to the journal
 * (journal.ts) as what it changed (delta.ts): an insert of ~250 bytes, where an update is a scan
 * on FerretDB and the whole document five times the bytes. Loading a game applies the journal's entries past its
 * document's version, in order, to the document.
 */
export function createGameRepo(db: Db, o: { timeoutMs?: number; journalLimit?: number } = {}) {
  const timeoutMs = o.timeoutMs ?? WRITE_TIMEOUT_MS;
  const games: Collection<GameDoc> = db.collection('games');
  const journal = createJournal<Delta | GameDoc>(db.collection<Entry>('game_journal'), {
    timeoutMs,
    queueLimit: o.journalLimit,
  });
  let finished: string[] = [];
  /**
   * The game's state: its document, then each entry past the document's version. Entries at or
   * below it were written before the document (a fence, or the game's end): passed over.
   */
  const current = (doc: GameDoc, entries: Entry[] = []): GameDoc =>
    entries.reduce((state, entry) => (entry.v > doc.v ? applyEntry(state, entry.doc) : state), doc);
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
    /**
     * The game as stored, given up (TimedOut) after the write timeout: a game's actions wait on
     * this read, so a database that hangs must not hold its queue for as long as it hangs.
     */
    async find(id: string): Promise<Game | undefined> {
      return (await this.read(id, { timed: true }))?.game;
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
        const latest = doc.status === 'started' ? current(doc, (await journal.entries([id], signal)).get(id)) : doc;
        return { game: fromDoc(latest), w: latest.w };
      })();
      return o.timed ? within(reading, timeoutMs, 'read') : reading;
    },
    async unfinished(): Promise<Game[]> {
      const docs = await games.find({ status: 'started' }).toArray();
      const entries = await journal.entries(docs.map((d) => d._id));
      return docs.map((doc) => fromDoc(current(doc, entries.get(doc._id))));
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
     * Stores `next`, which follows `before` (the game as stored, but for versions published since
     * without a write), as write `w`: in the journal while the game goes on, as what changed (a
     * version stored twice fails loudly), in the game's document once it is over. Any failure but
     * JournalFull may have stored it all the same (saves.ts settles that).
     */
    async update(before: Game, next: Game, now: number, w?: string): Promise<void> {
      const doc = toDoc(next, now, w);
      if (next.status === 'started') return journal.append(doc._id, doc.v, deltaOf(toDoc(before, now), doc));
      await rewrite(doc, { $lte: before.v }, 'game end');
      finished.push(doc._id);
    },
    /**
     * A fence for a write in doubt (settle.ts): `fence`, the game as stored (`stored`) at the
     * version the write was to store, written where the write went (in the journal while the game
     * goes on, else in the document where its version is at most the one before). The first of
     * the two to arrive fills that slot for good; the other then fails, changing nothing.
     */
    async fence(write: { before: Game; written: Game }, stored: Game, fence: Game, now: number, w: string) {
      const doc = toDoc(fence, now, w);
      if (write.written.status === 'started') return journal.append(doc._id, doc.v, deltaOf(toDoc(stored, now), doc));
      await rewrite(doc, { $lte: write.before.v }, 'fence');
    },
    /** States waiting for the journal's next batch. */
    get queued(): number {
      return journal.queued;
    },
  };
}
export type GameRepo = ReturnType<typeof createGameRepo>;

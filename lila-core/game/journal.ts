import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';
import { WRITE_TIMEOUT_MS, within } from '../db.js';
import { JournalFull, OutcomeUnknown } from './save-errors.js';

/**
 * One saved state of a live game (what changed since the state before: delta.ts), keyed
 * `<gameId>:<v>`: unique, so two writers of one version collide.
 */
export type JournalEntry<Doc> = { _id: string; g: string; v: number; doc: Doc };

type Pending<Doc> = { entry: JournalEntry<Doc>; saved: () => void; failed: (err: Error) => void };

/**
 * States waiting for the journal, at most. A game has one at a time (its next action waits on its
 * save), so this is the number of games saving at once: far above what one lila-core holds
 * (thousands), and what a flood of new games can pile up while the database stalls, at ~2 KB a
 * state, stops at 20 MB. Past it a state is refused at once (JournalFull: the sender hears
 * `unavailable`), and nothing was written.
 */
export const JOURNAL_QUEUE_LIMIT = 10_000;

/**
 * Which entries of a batch are saved, when `insertMany` failed: those the server neither refused
 * nor left in doubt. A bulk-write error names the entries it refused (a version written twice);
 * the others are saved only if every entry is thus accounted for and no write concern failed.
 * Any other error (the connection lost after the server committed, a timeout) leaves them all
 * in doubt.
 */
export function outcomes(err: unknown, size: number): ('saved' | 'refused' | 'unknown')[] {
  const all = (o: 'saved' | 'refused' | 'unknown') => Array.from({ length: size }, () => o);
  if (!(err instanceof MongoBulkWriteError)) return all('unknown');
  const refused = new Set([err.writeErrors].flat().map((e) => e.index));
  const concernFailed = err.result?.getWriteConcernError() !== undefined || err.err !== undefined;
  const accounted = !concernFailed && (err.result?.insertedCount ?? -1) + refused.size === size;
  return Array.from({ length: size }, (_, i) => (refused.has(i) ? 'refused' : accounted ? 'saved' : 'unknown'));
}

/**
 * The states of live games, appended rather than updated in place. An insert is cheap where an
 * update is not: FerretDB's SQLite backend scans the whole collection for each update, and MongoDB
 * too pays more to rewrite a document than to add one. Entries that arrive while a write is under
 * way go together in the next one (group commit): one insert per batch, whatever the number of
 * games. Each state is saved before the caller goes on; a batch not answered within `timeoutMs`
 * fails its entries as OutcomeUnknown, and the next batch goes ahead.
 */
export function createJournal<Doc extends Document>(
  collection: Collection<JournalEntry<Doc>>,
  o: { queueLimit?: number; timeoutMs?: number } = {},
) {
  const limit = o.queueLimit ?? JOURNAL_QUEUE_LIMIT;
  const timeoutMs = o.timeoutMs ?? WRITE_TIMEOUT_MS;
  let queue: Pending<Doc>[] = [];
  let writing = false;

  async function write(): Promise<void> {
    if (writing || !queue.length) return;
    writing = true;
    const batch = queue;
    queue = [];
    const entries = batch.map((p) => p.entry);
    try {
      await within(collection.insertMany(entries, { ordered: false, maxTimeMS: timeoutMs }), timeoutMs, 'journal');
      batch.forEach((p) => p.saved());
    } catch (err) {
      const why = (err as Error).message;
      const refusals = new Map<number, string>();
      if (err instanceof MongoBulkWriteError)
        for (const e of [err.writeErrors].flat()) refusals.set(e.index, e.errmsg ?? 'refused');
      outcomes(err, batch.length).forEach((outcome, i) => {
        const { entry, saved, failed } = batch[i];
        if (outcome === 'saved') return saved();
        const what = `game ${entry.g} version ${entry.v}`;
        if (outcome === 'refused') failed(new Error(`${what}: ${refusals.get(i) ?? why}`));
        else failed(new OutcomeUnknown(`${what}: ${why}`));
      });
    } finally {
      writing = false;
      void write();
    }
  }

  return {
    init: () => collection.createIndex({ g: 1, v: -1 }),

    append(g: string, v: number, doc: Doc): Promise<void> {
      if (queue.length >= limit) return Promise.reject(new JournalFull(limit));
      return new Promise((saved, failed) => {
        queue.push({ entry: { _id: `${g}:${v}`, g, v, doc }, saved, failed });
        void write();
      });
    },

    /** States waiting for the next batch. */
    get queued(): number {
      return queue.length;
    },

    /** Each of these games' entries, oldest first (given up when `signal` aborts). */
    async entries(ids: string[], signal?: AbortSignal): Promise<Map<string, JournalEntry<Doc>[]>> {
      const byGame = new Map<string, JournalEntry<Doc>[]>();
      if (!ids.length) return byGame;
      for await (const entry of collection.find({ g: { $in: ids } }, signal ? { signal } : {})) {
        const list = byGame.get(entry.g) ?? [];
        if (!list.length) byGame.set(entry.g, list);
        list.push(entry);
      }
      for (const list of byGame.values()) list.sort((a, b) => a.v - b.v);
      return byGame;
    },

    /** Drops what is journalled of games whose final state is in their own document. */
    async forget(ids: string[]): Promise<void> {
      if (ids.length) await collection.deleteMany({ g: { $in: ids } });
    },
  };
}

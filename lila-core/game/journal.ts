import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';

/** One saved state of a live game, keyed `<gameId>:<v>`: unique, so two writers of one version collide. */
export type JournalEntry<Doc> = { _id: string; g: string; v: number; doc: Doc };

type Pending<Doc> = { entry: JournalEntry<Doc>; saved: () => void; failed: (err: Error) => void };

/**
 * The states of live games, appended rather than updated in place. An insert is cheap where an
 * update is not: FerretDB's SQLite backend scans the whole collection for each update, and MongoDB
 * too pays more to rewrite a document than to add one. Entries that arrive while a write is under
 * way go together in the next one (group commit): one insert per batch, whatever the number of
 * games. Each state is saved before the caller goes on, as before.
 */
export function createJournal<Doc extends Document>(collection: Collection<JournalEntry<Doc>>) {
  let queue: Pending<Doc>[] = [];
  let writing = false;

  async function write(): Promise<void> {
    if (writing || !queue.length) return;
    writing = true;
    const batch = queue;
    queue = [];
    try {
      await collection.insertMany(
        batch.map((p) => p.entry),
        { ordered: false },
      );
      batch.forEach((p) => p.saved());
    } catch (err) {
      // Some entries may have been refused (a version written twice) and the rest saved.
      const refused = new Map<number, string>();
      if (err instanceof MongoBulkWriteError)
        for (const e of [err.writeErrors].flat()) refused.set(e.index, e.errmsg ?? 'refused');
      batch.forEach((p, i) => {
        if (!(err instanceof MongoBulkWriteError)) return p.failed(err as Error);
        const why = refused.get(i);
        if (why === undefined) p.saved();
        else p.failed(new Error(`game ${p.entry.g} version ${p.entry.v}: ${why}`));
      });
    } finally {
      writing = false;
      void write();
    }
  }

  return {
    init: () => collection.createIndex({ g: 1, v: -1 }),

    append(g: string, v: number, doc: Doc): Promise<void> {
      return new Promise((saved, failed) => {
        queue.push({ entry: { _id: `${g}:${v}`, g, v, doc }, saved, failed });
        void write();
      });
    },

    /** The newest state journalled for each of these games. */
    async latest(ids: string[]): Promise<Map<string, JournalEntry<Doc>>> {
      const newest = new Map<string, JournalEntry<Doc>>();
      if (!ids.length) return newest;
      for await (const entry of collection.find({ g: { $in: ids } }))
        if ((newest.get(entry.g)?.v ?? -1) < entry.v) newest.set(entry.g, entry);
      return newest;
    },

    /** Drops what is journalled of games whose final state is in their own document. */
    async forget(ids: string[]): Promise<void> {
      if (ids.length) await collection.deleteMany({ g: { $in: ids } });
    },
  };
}

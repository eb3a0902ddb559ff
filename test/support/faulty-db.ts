import type { Collection, Db, Document } from 'mongodb';

/**
 * What the next write does: `commit-then-throw` (the server stored it, the answer was lost),
 * `throw` (nothing stored), `hang` (no answer until `release()`; then it is stored: a request
 * that reached the server late, after the caller gave up on it).
 */
export type Fault = 'commit-then-throw' | 'throw' | 'hang';

/** The writes that can be made to fail: the journal's appends and the games' document updates. */
const WRITES = new Set(['insertMany', 'updateOne']);

/**
 * A real database whose collections fail the writes they are told to, one fault per write, in
 * order (`arm`). Reads, and writes not armed, go through untouched. `started` resolves at the
 * next write's start, armed or not: a test can look at what was published while it is pending.
 */
export function faultyDb(db: Db) {
  const armed: { collection: string; fault: Fault }[] = [];
  const held: { go: () => void; late: Promise<unknown> }[] = [];
  let onStart: (() => void)[] = [];

  function wrap<T extends Document>(name: string, real: Collection<T>): Collection<T> {
    return new Proxy(real, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const method = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
        if (typeof prop !== 'string' || !WRITES.has(prop)) return method;
        return async (...args: unknown[]) => {
          const starts = onStart;
          onStart = [];
          starts.forEach((f) => f());
          const i = armed.findIndex((a) => a.collection === name);
          const fault = i < 0 ? undefined : armed.splice(i, 1)[0].fault;
          if (fault === 'throw') throw new Error('connection reset before the write (injected)');
          if (fault === 'commit-then-throw') {
            await method(...args);
            throw new Error('connection reset after the write (injected)');
          }
          if (fault === 'hang') {
            let go!: () => void;
            const late = new Promise<void>((resolve) => (go = resolve)).then(() => method(...args));
            held.push({ go, late });
            return late;
          }
          return method(...args);
        };
      },
    });
  }

  const faulty = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'collection') return (name: string) => wrap(name, target.collection(name));
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

  return {
    db: faulty,
    /** The next write to `collection` (`game_journal`, `games`) fails with `fault`. */
    arm(collection: 'game_journal' | 'games', fault: Fault): void {
      armed.push({ collection, fault });
    },
    /** Resolves when the next write starts. */
    started(): Promise<void> {
      return new Promise((resolve) => onStart.push(resolve));
    },
    /** Lets the hung writes through to the server (the first `count` of them, in order), and resolves once they are stored. */
    async release(count = held.length): Promise<void> {
      const writes = held.splice(0, count);
      writes.forEach((w) => w.go());
      await Promise.allSettled(writes.map((w) => w.late));
    },
  };
}

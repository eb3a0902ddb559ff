import { isDeepStrictEqual } from 'node:util';
import type { GameDoc } from './game-doc.js';

/** An array as it grows: its first `at` elements kept, `add` after them. */
export type Tail<T> = { at: number; add: T[] };

/**
 * What a saved state changes in the state before it, as the journal stores it: the fields that
 * differ (`set`; the version, the write id, the reservation and the time always), those it no
 * longer has (`unset`), and of the two arrays that grow with each move only the new part. A move
 * thus costs the database ~250 bytes whatever the game's length, where the whole document was
 * 1.5 KB and more at move 20 (and the database's work grows with the bytes: bench/db-writes.ts).
 */
export type Delta = {
  set: Partial<GameDoc>;
  unset?: (keyof GameDoc)[];
  moves?: Tail<string>;
  clockHistory?: Tail<number>;
};

/** Written with every state even when unchanged: what tells a state and its write apart. */
const ALWAYS: readonly string[] = ['v', 'w', 'reserved', 'updatedAt'];
const TAILS: readonly string[] = ['_id', 'moves', 'clockHistory'];

function tailOf<T>(before: readonly T[], next: readonly T[]): Tail<T> | undefined {
  // Stryker disable next-line MethodExpression: past the shorter array, undefined never equals an element
  const common = Math.min(before.length, next.length);
  let at = 0;
  while (at < common && before[at] === next[at]) at++;
  return at === before.length && at === next.length ? undefined : { at, add: next.slice(at) };
}

/** The delta from `before` to `next`, two states of one game. */
export function deltaOf(before: GameDoc, next: GameDoc): Delta {
  const set: Partial<GameDoc> & Record<string, unknown> = {};
  const b = before as Record<string, unknown>;
  for (const [key, value] of Object.entries(next))
    if (!TAILS.includes(key) && (ALWAYS.includes(key) || !isDeepStrictEqual(b[key], value))) set[key] = value;
  const unset = Object.keys(before).filter((key) => !(key in next)) as (keyof GameDoc)[];
  const moves = tailOf(before.moves, next.moves);
  const clockHistory = tailOf(before.clockHistory ?? [], next.clockHistory ?? []);
  return {
    set,
    ...(unset.length ? { unset } : {}),
    ...(moves ? { moves } : {}),
    ...(clockHistory ? { clockHistory } : {}),
  };
}

/** A journal entry stored before deltas (a whole document), or a delta. */
export const isDelta = (entry: Delta | GameDoc): entry is Delta => 'set' in entry;

function extend<T>(array: readonly T[], tail: Tail<T>, what: string): T[] {
  // A delta past the end of what it follows: the journal is missing a state. Loudly, never a guess.
  if (array.length < tail.at) throw new Error(`${what}: a journal entry keeps ${tail.at} of ${array.length}`);
  return [...array.slice(0, tail.at), ...tail.add];
}

/** The state after `entry` (a delta, or a whole document of the journal's older format). */
export function applyEntry(doc: GameDoc, entry: Delta | GameDoc): GameDoc {
  if (!isDelta(entry)) return entry;
  const next = { ...doc, ...entry.set } as Record<string, unknown>;
  // Stryker disable next-line ArrayDeclaration: deleting a key no state has changes nothing
  for (const key of entry.unset ?? []) delete next[key];
  const applied = next as GameDoc;
  if (entry.moves) applied.moves = extend(doc.moves, entry.moves, `game ${doc._id} moves`);
  if (entry.clockHistory)
    applied.clockHistory = extend(doc.clockHistory ?? [], entry.clockHistory, `game ${doc._id} clocks`);
  return applied;
}

import type { Game, GameEvent } from './game.js';
import type { Stored } from './repo.js';

/**
 * A save whose outcome is unknown: the write failed, timed out, or its write concern was not met,
 * and the server may have stored it all the same (or may yet, if the write still travels). Until
 * it is settled, the game in memory stays as it was before (what relays have been sent), the
 * events wait, and every action on the game settles it first (games.ts, settle.ts).
 */
export type Doubt = {
  /** The id the write stored with the state: the database holds this write iff its state carries it. */
  w: string;
  /** The game before the write: its version is the last one published. */
  before: Game;
  written: Game;
  /** The write's events, published only if it turns out to have landed, right after `before`. */
  events: GameEvent[];
  /** The highest version any write of this game still in doubt may store: a fence goes past it. */
  highest: number;
  /** Ids of fences written while settling, in doubt themselves when they failed too. */
  fences: string[];
};

export const doubtOf = (w: string, before: Game, written: Game, events: GameEvent[]): Doubt => ({
  w,
  before,
  written,
  events,
  highest: written.v,
  fences: [],
});

/**
 * What the database says of a doubt: the write `landed` (it is the game now, its events are due);
 * or the game is `fenced` already (the last fence we wrote landed); or neither, and `fence` is the state
 * to store past every version in doubt, so that the write can never land later: the game as
 * stored, at a version above all of them. Versions between the last published and the fence's
 * are never used (relays that ask get them as `{"v":N}`, as after a restart).
 */
export type Verdict = { t: 'landed' } | { t: 'fenced'; game: Game } | { t: 'fence'; game: Game };

export function judge(doubt: Doubt, stored: Stored): Verdict {
  if (stored.w === doubt.w) return { t: 'landed' };
  // Only the last fence: an earlier one, seen stored while a later one (at a higher version) may
  // still land, would let that later one overwrite whatever the game stores next, an end included.
  if (stored.w !== undefined && stored.w === doubt.fences.at(-1)) return { t: 'fenced', game: stored.game };
  const { reserved, ...game } = stored.game;
  const v = Math.max(doubt.highest, game.v, doubt.before.v) + 1;
  return { t: 'fence', game: { ...game, v, ...(reserved === undefined ? {} : { reserved: Math.max(reserved, v) }) } };
}

/**
 * A game taken from storage by a process that has published its room up to `publishedV` (after a
 * restart, the stored version: the versions past it a write reserved may have been published by
 * the process before): it goes on after every version its stored state may have used, those not
 * published given to `fill`.
 */
export function resumeAfter(game: Game, publishedV: number, fill: (from: number, to: number) => void): Game {
  const v = Math.max(game.v, game.reserved ?? 0);
  if (v > publishedV) fill(publishedV + 1, v);
  return v === game.v ? game : { ...game, v };
}

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
};

export const doubtOf = (w: string, before: Game, written: Game, events: GameEvent[]): Doubt => ({
  w,
  before,
  written,
  events,
});

/**
 * What the database says of a doubt. The write was to store version `written.v`, a slot that only
 * one write can ever fill (repo.ts: a journal entry's unique key, or the document while its
 * version is at most the one before). So: the slot holds the write (`landed`: its events are
 * due); or it holds something else (`taken`: a fence of ours, or another writer; the game is as
 * stored); or it is `open`, and `fence`, the game as stored at that version, is to be written into
 * it: once the slot is filled, whatever copy of the write (or of an earlier fence) still travels
 * can never land. Judged again after each attempt, so a fence in doubt needs no remembering.
 */
export type Verdict = { t: 'landed' } | { t: 'taken'; game: Game } | { t: 'open'; stored: Game; fence: Game };

export function judge(doubt: Doubt, stored: Stored): Verdict {
  const v = doubt.written.v;
  if (stored.game.v >= v) return stored.w === doubt.w ? { t: 'landed' } : { t: 'taken', game: stored.game };
  const { reserved, ...game } = stored.game;
  const fence = { ...game, v, ...(reserved === undefined ? {} : { reserved: Math.max(reserved, v) }) };
  return { t: 'open', stored: stored.game, fence };
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

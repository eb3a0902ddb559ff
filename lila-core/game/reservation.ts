import type { Change, Game } from './game.js';

/**
 * Which changes of a game are written. A game's version is part of it: a restart must never publish
 * a version again (relays drop an event whose version they have, as a duplicate), nor leave a gap.
 * Yet chat lines and presence (`goneIn`, `gone`) change nothing stored but the version, and writing
 * the whole game for each made a chat flood a flood of writes.
 *
 * So a write reserves versions ahead: the stored game says that versions up to `reserved` may have
 * been published. Events that change only the version use them without a write; one past the
 * reservation writes, reserving again. A game read from storage resumes after its reservation,
 * the versions it did not use filled as `{"v":N}` for relays that ask (games.ts). Moves and every
 * other change are written before they are published, as ever.
 *
 * A game that never had such an event reserves nothing, and resumes exactly where it was; from
 * its first one on, each write reserves, so that a game that chats keeps chatting for free.
 */
export const RESERVED_VERSIONS = 20;

/** What to store for `change`, or nothing: only the version moved, within the reservation. */
export function toStore(before: Game, change: Change): Game | undefined {
  const next = change.game;
  if (change.versionOnly && before.reserved !== undefined && next.v <= before.reserved) return undefined;
  return change.versionOnly || before.reserved !== undefined ? { ...next, reserved: next.v + RESERVED_VERSIONS } : next;
}

import { Room, type RoomName } from '../protocol/channels.js';
import { encodeFrame, type ClientOutOf } from '../protocol/client-out.js';
import type { CoreIn } from '../protocol/core-in.js';
import type { Challenges } from './challenges.js';
import type { Crowds } from './crowd.js';
import { isOver, type Game } from './game/game.js';
import type { Games } from './game/games.js';
import type { Publisher } from './publish.js';

type PendingAsk = Extract<CoreIn, { t: 'pending' }>;
type UserFrame = ClientOutOf<'challenge'> | ClientOutOf<'redirect'>;

/** Users whose latest game is remembered for its redirect, at most (the oldest go first). */
const STARTS_KEPT = 100_000;

/**
 * Frames of a user's channel that are not versioned, so that a socket that was not there when one
 * was published (closed, or its relay's subscription down) cannot tell it missed it: the
 * challenges waiting for the user, and the redirect to a game of theirs that has just started
 * (neither side has moved twice, and the player has no socket in it: else they have found it). Sent again
 * when a signed-in socket opens (to that socket) and when a relay subscribes again (to its sockets
 * of each user). Announcements are not: one missed is missed (see README).
 */
export function createPending(o: { challenges: Challenges; games: Games; crowds: Crowds; publish: Publisher }) {
  /** user id → the game that started for them last (this process: a restart forgets it). */
  const starts = new Map<string, string>();

  const redirectOf = (user: string, room: RoomName | undefined): UserFrame | undefined => {
    const id = starts.get(user);
    if (id === undefined) return undefined;
    const game = o.games.peek(id);
    if (!game || isOver(game) || game.moves.length >= 2) return void starts.delete(user);
    // A player with a socket in that game's room (this one, or another tab) has found it.
    return room === Room.game(id) || o.crowds.plays(id, user) ? undefined : { t: 'redirect', d: { id } };
  };

  const framesOf = (user: string, room?: RoomName): UserFrame[] => {
    const frames: UserFrame[] = o.challenges.waitingFor(user).map((d) => ({ t: 'challenge', d }));
    const redirect = redirectOf(user, room);
    return redirect ? [...frames, redirect] : frames;
  };

  return {
    /** A game started (game/start.ts): both players get its redirect again if they missed it. */
    started(game: Game): void {
      for (const { id } of [game.players.white, game.players.black]) {
        starts.delete(id);
        starts.set(id, game.id);
        if (starts.size > STARTS_KEPT) starts.delete(starts.keys().next().value!);
      }
    },

    /** A relay's ask: to one socket that opened, or to its sockets of each user after a resubscribe. */
    answer(m: PendingAsk): Promise<unknown> {
      const { sid, room } = m.d;
      return Promise.all(
        m.d.users.flatMap((user) =>
          framesOf(user, room).map((frame) =>
            sid === undefined
              ? o.publish.again(m.relay, Room.user(user), frame)
              : o.publish.socket(m.relay, sid, encodeFrame(frame)),
          ),
        ),
      );
    },
  };
}
export type Pending = ReturnType<typeof createPending>;

import { Room } from '../../protocol/channels.js';
import { encodeFrame, errorFrame, type TournamentFrame } from '../../protocol/client-out.js';
import type { SocketEnvelope } from '../../protocol/core-in.js';
import { isAnonymous } from '../../protocol/game.js';
import { createChatFlood } from '../chat/flood.js';
import { cleanChatLine } from '../chat/text.js';
import type { Publisher } from '../publish.js';
import type { Clock } from '../time.js';

/** Versions reserved by one write: a restarted lila-core resumes after them (like a game's, reservation.ts). */
export const ROOM_RESERVE = 100;
/** Rule "`reload` at most once a second per tournament". */
export const RELOAD_EVERY_MS = 1_000;

type Unversioned<F> = F extends unknown ? Omit<F, 'v'> : never;
type RoomState = { v: number; reserved: number; queue: Promise<unknown>; reloadAt: number; reloadTimer?: () => void };

/**
 * The rooms `tournament:<id>`: versioned events like a game's, contiguous from 1 and never reused
 * across restarts (a write reserves ROOM_RESERVE versions ahead; a restarted lila-core resumes after
 * them and keeps the skipped ones as `{"v":N}` for relays that ask). Events: `reload` (the standings
 * changed; at most one a second) and `message` (chat, limited per user like a game's).
 */
export function createTournamentRooms(o: {
  publish: Publisher;
  clock: Clock;
  /** Stores a new reservation; events wait for it. */
  reserve: (id: string, reserved: number) => Promise<unknown>;
  /** A `reload` goes out: what the pages fetch after it must be at least as new (standings cache). */
  onReload?: (id: string) => void;
  onError: (err: Error, id: string) => void;
}) {
  const rooms = new Map<string, RoomState>();
  const chatFlood = createChatFlood();
  const roomOf = (id: string) => {
    let room = rooms.get(id);
    if (!room) rooms.set(id, (room = { v: 0, reserved: 0, queue: Promise.resolve(), reloadAt: -Infinity }));
    return room;
  };

  /** One event, published after the previous one of the room, its version reserved first. */
  const emit = (id: string, frame: Unversioned<TournamentFrame>): Promise<unknown> => {
    const room = roomOf(id);
    const next = room.queue.then(async () => {
      if (room.v + 1 > room.reserved) {
        await o.reserve(id, room.v + ROOM_RESERVE);
        room.reserved = room.v + ROOM_RESERVE;
      }
      const v = ++room.v;
      const versioned = { t: frame.t, v, ...('d' in frame ? { d: frame.d } : {}) } as TournamentFrame;
      await o.publish.event(Room.tournament(id), { frame: versioned });
    });
    // The queue goes on after a failure; the caller hears of it.
    room.queue = next.catch((err: Error) => o.onError(err, id));
    return next;
  };

  const reloadNow = (id: string) => {
    const room = roomOf(id);
    room.reloadTimer = undefined;
    room.reloadAt = o.clock.now();
    o.onReload?.(id);
    return emit(id, { t: 'reload' });
  };

  return {
    /** A tournament read from storage: its room resumes after its reservation. */
    restore(id: string, reserved: number): void {
      const room = roomOf(id);
      room.v = room.reserved = reserved;
      o.publish.fill(Room.tournament(id), Math.max(1, reserved - ROOM_RESERVE + 1), reserved);
    },

    /** The standings changed: `reload` now, or a second after the last one. */
    reload(id: string): void {
      const room = roomOf(id);
      if (room.reloadTimer) return;
      const at = room.reloadAt + RELOAD_EVERY_MS;
      if (at <= o.clock.now()) return void reloadNow(id).catch(() => undefined);
      room.reloadTimer = o.clock.at(at, () => reloadNow(id).catch(() => undefined));
    },

    /** A tournament page opens: admitted with `reload` at the room's version, or 404. */
    join(m: SocketEnvelope, id: string, exists: boolean): Promise<unknown> {
      if (!exists) return o.publish.join(m.relay, m.sid, 404);
      const { v } = roomOf(id);
      return o.publish.join(m.relay, m.sid, 200, encodeFrame({ t: 'reload', v }), { v });
    },

    /** A chat line on the tournament page: signed in with an account, cleaned, limited per user. */
    talk(m: Extract<SocketEnvelope, { t: 'talk' }>, id: string): Promise<unknown> {
      const tell = (code: Parameters<typeof errorFrame>[0], message: string) =>
        o.publish.socket(m.relay, m.sid, errorFrame(code, message));
      if (m.user === null || isAnonymous(m.user)) return tell('not_allowed_here', 'sign in to chat');
      const text = cleanChatLine(m.d);
      if (text === undefined) return tell('bad_message', 'talk: d: nothing left once control characters are removed');
      const allowed = chatFlood.check(m.user, text, o.clock.now());
      if (!allowed.ok) return allowed.quiet ? Promise.resolve() : tell(allowed.code, allowed.message);
      return emit(id, { t: 'message', d: { u: m.user, text } });
    },

    version: (id: string): number | undefined => rooms.get(id)?.v,
  };
}
export type TournamentRooms = ReturnType<typeof createTournamentRooms>;

import { Room } from '../protocol/channels.js';
import { isAnonymous, type Color } from '../protocol/game.js';
import type { ClientOutOf } from '../protocol/client-out.js';
import type { Logger } from '../src/log.js';
import { speedOf } from './game/clock.js';
import { announced, isOver, opposite, unchanged, type Game } from './game/game.js';
import type { Games } from './game/games.js';
import type { Publisher } from './publish.js';
import type { RelayLiveness } from './relay-liveness.js';
import type { Clock } from './time.js';

/**
 * Who is in each game room, across all relays, from the `join` and `leave` each relay reports:
 * the `crowd` (a player with several tabs counts once), and players gone from a game in progress.
 * A relay's sockets leave with its boot (relay-liveness.ts: silent, or restarted).
 *
 * A player with no socket for 5 s makes the opponent hear `goneIn` (seconds until a claim is
 * allowed); once the wait is over, `gone` true, and `resign-force` / `draw-force` are allowed.
 * Coming back cancels it all (and says `gone` false if anything was said).
 *
 * Every entry follows a socket or a game in memory: a room goes when its last socket has left and
 * no absence is pending, and absences (with their timers) go when their game leaves memory, so
 * that no timer outlives its game nor brings it back from storage.
 */
const GONE_NOTICE_MS = 5_000;
const CROWD_EVERY_MS = 500;

/** lichess's wait before claims: 40 s, ×3 classical, ×2 rapid, ÷2 for an anonymous player, ≥ 10 s. */
export function goneWaitMs(game: Game, color: Color): number {
  const speed = speedOf(game.clockConfig);
  const base = 40 * (speed === 'classical' ? 3 : speed === 'rapid' ? 2 : 1);
  return Math.max(10, isAnonymous(game.players[color].id) ? base / 2 : base) * 1000;
}

type Seat = { color: Color | null; who: string };
type Absence = { since: number; said: boolean; claimable: boolean; cancel: () => void };
type Crowd = ClientOutOf<'crowd'>['d'];
/** To the opponent of a player gone: versioned, stamped when the game takes it. */
type GoneEvent = Omit<ClientOutOf<'goneIn'>, 'v'> | Omit<ClientOutOf<'gone'>, 'v'>;
type GameRoom = {
  sockets: Map<string, Seat>;
  absent: Partial<Record<Color, Absence>>;
  lastCrowd?: Crowd;
  crowdAt: number;
  crowdTimer?: () => void;
};

const sameCrowd = (a: Crowd | undefined, b: Crowd) =>
  a !== undefined && a.white === b.white && a.black === b.black && a.watchers === b.watchers;

export function createCrowds(o: {
  games: Games;
  publish: Publisher;
  clock: Clock;
  liveness: RelayLiveness;
  log: Logger;
}) {
  const { games, publish, clock } = o;
  const rooms = new Map<string, GameRoom>();
  /** `relay/boot` → its sockets, each as `<gameId> <socket key>`. */
  const boots = new Map<string, Set<string>>();

  const roomOf = (gameId: string): GameRoom => {
    let room = rooms.get(gameId);
    if (!room) rooms.set(gameId, (room = { sockets: new Map(), absent: {}, crowdAt: -Infinity }));
    return room;
  };

  const crowdOf = (room: GameRoom): Crowd => {
    const watchers = new Set<string>();
    const present = { white: false, black: false };
    for (const seat of room.sockets.values()) {
      if (seat.color) present[seat.color] = true;
      else watchers.add(seat.who);
    }
    return { ...present, watchers: watchers.size };
  };

  /** At most twice a second per game, and only when it changed. */
  const sendCrowd = (gameId: string, room: GameRoom) => {
    if (room.crowdTimer) return;
    const at = Math.max(clock.now(), room.crowdAt + CROWD_EVERY_MS);
    room.crowdTimer = clock.at(at, () => {
      room.crowdTimer = undefined;
      const d = crowdOf(room);
      if (!room.sockets.size && !room.absent.white && !room.absent.black) rooms.delete(gameId);
      if (sameCrowd(room.lastCrowd, d)) return;
      room.lastCrowd = d;
      room.crowdAt = clock.now();
      return publish.room(Room.game(gameId), { t: 'crowd', d });
    });
  };

  /**
   * A versioned event to the opponent of `color`, unless the game is over or the opponent is away
   * too (nobody to tell; a game both players left costs no write).
   */
  const tellOpponent = async (gameId: string, color: Color, event: GoneEvent): Promise<boolean> => {
    const room = rooms.get(gameId);
    if (!room || !present(room, opposite(color))) return false;
    const result = await games.act(gameId, (game) =>
      isOver(game) ? unchanged(game) : announced(game, [{ ...event, to: opposite(color) }]),
    );
    return result?.ok === true && result.value.events.length > 0;
  };

  const playerLeft = (gameId: string, room: GameRoom, color: Color) => {
    const since = clock.now();
    const absence: Absence = { since, said: false, claimable: false, cancel: () => undefined };
    room.absent[color] = absence;
    absence.cancel = clock.at(since + GONE_NOTICE_MS, async () => {
      // From memory: a game in progress is there, and one that is not needs no notice.
      const game = games.peek(gameId);
      if (!game || isOver(game) || room.absent[color] !== absence) return;
      const claimAt = since + goneWaitMs(game, color);
      const seconds = Math.ceil((claimAt - clock.now()) / 1000);
      absence.said = await tellOpponent(gameId, color, { t: 'goneIn', d: seconds });
      absence.cancel = clock.at(claimAt, async () => {
        if (room.absent[color] !== absence) return;
        absence.claimable = true;
        if (await tellOpponent(gameId, color, { t: 'gone', d: true })) absence.said = true;
      });
    });
  };

  const playerBack = (gameId: string, room: GameRoom, color: Color) => {
    const absence = room.absent[color];
    if (!absence) return;
    absence.cancel();
    delete room.absent[color];
    if (absence.said)
      void tellOpponent(gameId, color, { t: 'gone', d: false }).catch((err: Error) =>
        o.log.error({ game: gameId, err: err.message }, 'could not tell that a player is back'),
      );
  };

  const present = (room: GameRoom, color: Color) => [...room.sockets.values()].some((s) => s.color === color);

  const remove = (gameId: string, key: string) => {
    const room = rooms.get(gameId);
    const seat = room?.sockets.get(key);
    if (!room || !seat) return;
    room.sockets.delete(key);
    if (seat.color && !present(room, seat.color)) playerLeft(gameId, room, seat.color);
    sendCrowd(gameId, room);
  };

  const socketKey = (relay: string, boot: string, sid: string) => `${relay}/${boot}/${sid}`;

  /** The game left memory (finished a while ago): nobody can claim anything any more. */
  games.onEvicted((gameId) => {
    const room = rooms.get(gameId);
    if (!room) return;
    room.absent.white?.cancel();
    room.absent.black?.cancel();
    room.absent = {};
    if (room.sockets.size) return;
    room.crowdTimer?.();
    rooms.delete(gameId);
  });

  o.liveness.onEnded((relay, boot) => {
    const sockets = boots.get(`${relay}/${boot}`);
    boots.delete(`${relay}/${boot}`);
    for (const entry of sockets ?? []) {
      const [gameId, key] = entry.split(' ') as [string, string];
      remove(gameId, key);
    }
  });

  return {
    joined(gameId: string, at: { relay: string; boot: string; sid: string }, user: string | null, color?: Color) {
      const key = socketKey(at.relay, at.boot, at.sid);
      const bootKey = `${at.relay}/${at.boot}`;
      let sockets = boots.get(bootKey);
      if (!sockets) boots.set(bootKey, (sockets = new Set()));
      sockets.add(`${gameId} ${key}`);
      const room = roomOf(gameId);
      room.sockets.set(key, { color: color ?? null, who: user ?? key });
      if (color) playerBack(gameId, room, color);
      sendCrowd(gameId, room);
    },

    left(gameId: string, at: { relay: string; boot: string; sid: string }) {
      const key = socketKey(at.relay, at.boot, at.sid);
      boots.get(`${at.relay}/${at.boot}`)?.delete(`${gameId} ${key}`);
      remove(gameId, key);
    },

    /**
     * A relay's report of its sockets is complete (`sockets`, after lila-core restarted or lost some
     * of its messages): its sockets the report did not name are gone (their `leave` was lost).
     */
    keepOnly(relay: string, boot: string, named: ReadonlySet<string>): void {
      const prefix = `${relay}/${boot}/`;
      for (const entry of [...(boots.get(`${relay}/${boot}`) ?? [])]) {
        const [gameId, key] = entry.split(' ') as [string, string];
        if (named.has(key.slice(prefix.length))) continue;
        boots.get(`${relay}/${boot}`)?.delete(entry);
        remove(gameId, key);
      }
    },

    /**
     * After a report: a player of a game in progress with no socket anywhere is gone from now, as if
     * they had just left (a restarted lila-core never saw them leave). Another relay's report, due
     * within a second, brings them back before anything is said.
     */
    expectPlayers(gameId: string): void {
      const room = rooms.get(gameId);
      const game = games.peek(gameId);
      if (!room || !game || isOver(game)) return;
      for (const color of ['white', 'black'] as const)
        if (!present(room, color) && !room.absent[color]) playerLeft(gameId, room, color);
    },

    /** Whether `user` plays in `gameId` with a socket in its room, on any relay. */
    plays: (gameId: string, user: string): boolean =>
      [...(rooms.get(gameId)?.sockets.values() ?? [])].some((seat) => seat.color !== null && seat.who === user),

    /** Whether `color` has been gone long enough for the opponent to claim. */
    isGone: (gameId: string, color: Color): boolean => rooms.get(gameId)?.absent[color]?.claimable === true,

    /** Game rooms held: each has a socket in it or an absence pending. */
    get rooms(): number {
      return rooms.size;
    },
  };
}
export type Crowds = ReturnType<typeof createCrowds>;

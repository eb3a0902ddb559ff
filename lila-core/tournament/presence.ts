import type { CoreIn, SocketEnvelope } from '../../protocol/core-in.js';

type SocketsReport = Extract<CoreIn, { t: 'sockets' }>;
type At = { relay: string; boot: string; sid: string };

/**
 * Who has a tournament page or a game open, on any relay: rule "waiting players are those in the
 * tournament with its page or a game socket open". Kept from the sockets' `join` and `leave`
 * (role `tournament` in a `tournament:<id>` room, role `play` in a game room), a relay's report of
 * its sockets after a lila-core restart, and forgotten with a relay presumed dead.
 */
export function createPresence() {
  const sockets = new Map<string, { room: string; user: string }>();
  /** room → user → sockets open there. */
  const rooms = new Map<string, Map<string, number>>();
  /** `relay/boot` → its sockets' keys. */
  const boots = new Map<string, Set<string>>();
  /** Sockets named so far by a report under way, by `relay/boot`. */
  const reports = new Map<string, Set<string>>();

  const keyOf = (at: At) => `${at.relay}/${at.boot}/${at.sid}`;
  const tracked = (room: string, role: string) =>
    (role === 'tournament' && room.startsWith('tournament:')) || (role === 'play' && room.startsWith('game:'));

  const add = (at: At, room: string, user: string) => {
    const key = keyOf(at);
    if (sockets.has(key)) return;
    sockets.set(key, { room, user });
    const users = rooms.get(room) ?? new Map<string, number>();
    users.set(user, (users.get(user) ?? 0) + 1);
    rooms.set(room, users);
    const bootKey = `${at.relay}/${at.boot}`;
    boots.set(bootKey, (boots.get(bootKey) ?? new Set()).add(key));
  };

  const remove = (key: string) => {
    const socket = sockets.get(key);
    if (!socket) return;
    sockets.delete(key);
    const users = rooms.get(socket.room);
    const left = (users?.get(socket.user) ?? 1) - 1;
    if (left > 0) users?.set(socket.user, left);
    else users?.delete(socket.user);
    if (users && !users.size) rooms.delete(socket.room);
    boots.get(key.slice(0, key.lastIndexOf('/')))?.delete(key);
  };

  return {
    /** Every socket message lila-core takes: joins and leaves of tracked rooms are counted. */
    observe(m: SocketEnvelope): void {
      if (m.t === 'join' && m.user && tracked(m.room, m.d.role)) add(m, m.room, m.user);
      else if (m.t === 'leave') remove(keyOf(m));
    },

    /** A relay's report of every socket it admitted: those of tracked rooms count as joined again. */
    reported(m: SocketsReport): void {
      const bootKey = `${m.relay}/${m.boot}`;
      if (m.d.first || !reports.has(bootKey)) reports.set(bootKey, new Set());
      const named = reports.get(bootKey)!;
      for (const s of m.d.sockets) {
        const at = { relay: m.relay, boot: m.boot, sid: s.sid };
        named.add(keyOf(at));
        if (s.user && tracked(s.room, s.role)) add(at, s.room, s.user);
      }
      if (!m.d.last) return;
      reports.delete(bootKey);
      for (const key of [...(boots.get(bootKey) ?? [])]) if (!named.has(key)) remove(key);
    },

    /** A relay presumed dead, or restarted: its sockets are gone. */
    relayEnded(relay: string, boot: string): void {
      for (const key of [...(boots.get(`${relay}/${boot}`) ?? [])]) remove(key);
      boots.delete(`${relay}/${boot}`);
    },

    isIn: (room: string, user: string): boolean => (rooms.get(room)?.get(user) ?? 0) > 0,

    /** The users with a socket in `room`. */
    usersIn: (room: string): Iterable<string> => rooms.get(room)?.keys() ?? [],
  };
}
export type Presence = ReturnType<typeof createPresence>;

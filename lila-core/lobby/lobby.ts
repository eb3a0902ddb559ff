import { encodeFrame, errorFrame, type ErrorCode, type SeekJson } from '../../protocol/client-out.js';
import type { SocketEnvelope } from '../../protocol/core-in.js';
import { isAnonymous, type Color } from '../../protocol/game.js';
import { randomId } from '../ids.js';
import type { SiteCounts } from '../site-counts.js';
import { createPoolWaves, type PoolDeps } from './pool-waves.js';
import { isPoolId, POOL_IDS } from './pools.js';
import { createSeeks } from './seeks.js';

/**
 * The lobby: its sockets, seeks (seeks.ts) and pools (pool-waves.ts). A seek dies when its owner
 * has had no lobby socket for 5 s, or when the owner starts a game. A player with no lobby socket
 * leaves every pool at once.
 */
const SEEK_OWNER_GONE_MS = 5_000;
const MAX_SEEKS_PER_USER = 5;

type LobbyMessage = SocketEnvelope & { room: 'lobby' };

/**
 * Games start through `startGame`, which has the players leave the lobby (`started`). `siteCounts`:
 * the site's figures now (site-counts.ts publishes them only when they change).
 */
export type LobbyDeps = PoolDeps & { siteCounts: () => SiteCounts };

export function createLobby(d: LobbyDeps) {
  const seeks = createSeeks(d.publish);
  const pools = createPoolWaves(d);
  /** Lobby sockets by `relay/boot/sid`, with their user. */
  const sockets = new Map<string, string | null>();
  /** Lobby sockets per user: asked on every leave, so counted rather than searched. */
  const perUser = new Map<string, number>();
  /** A seek owner's last lobby socket closed: their seeks die when this timer fires. */
  const ownerGone = new Map<string, () => void>();

  const tell = (m: LobbyMessage, frame: string) => d.publish.socket(m.relay, m.sid, frame);
  const refuse = (m: LobbyMessage, code: ErrorCode, message: string) => tell(m, errorFrame(code, message));
  const keyOf = (m: LobbyMessage) => `${m.relay}/${m.boot}/${m.sid}`;

  const socketCame = (key: string, user: string | null) => {
    if (sockets.has(key)) return;
    sockets.set(key, user);
    if (user) perUser.set(user, (perUser.get(user) ?? 0) + 1);
  };

  /** A lobby socket is gone: a user with none left leaves the pools now, and their seeks in 5 s. */
  const socketGone = (key: string, user: string | null) => {
    if (!sockets.delete(key) || !user) return;
    const left = (perUser.get(user) ?? 1) - 1;
    if (left > 0) return void perUser.set(user, left);
    perUser.delete(user);
    pools.leaveAll(user);
    ownerGone.get(user)?.();
    ownerGone.set(
      user,
      d.clock.at(d.clock.now() + SEEK_OWNER_GONE_MS, () => {
        ownerGone.delete(user);
        return perUser.has(user) ? undefined : seeks.removeOf(user);
      }),
    );
  };

  /** The socket is known, and its user, who has a lobby socket, keeps their seeks. */
  const present = (key: string, user: string | null) => {
    socketCame(key, user);
    if (!user) return;
    ownerGone.get(user)?.();
    ownerGone.delete(user);
  };

  const seekColor = (color: SeekJson['color']): Color =>
    color === 'random' ? (Math.random() < 0.5 ? 'white' : 'black') : color;

  const handlers: Partial<Record<LobbyMessage['t'], (m: LobbyMessage) => Promise<unknown>>> = {
    async join(m) {
      present(keyOf(m), m.user);
      const list = seeks.list();
      // The pools' counts and the site's figures are published when they change: a socket that
      // just came gets them now, after the seeks (one channel, so in this order).
      return Promise.all([
        d.publish.join(m.relay, m.sid, 200, encodeFrame(list), { v: list.v }),
        tell(m, encodeFrame({ t: 'pools', d: pools.counts() })),
        tell(m, encodeFrame({ t: 'n', d: d.siteCounts() })),
      ]);
    },
    leave(m) {
      socketGone(keyOf(m), m.user);
      return Promise.resolve();
    },
    async seek(m) {
      if (m.t !== 'seek') return;
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to seek a game (an anonymous one will do)');
      if (m.d.rated && isAnonymous(m.user)) return refuse(m, 'not_allowed_now', 'rated games need an account');
      const name = await d.nameOf(m.user);
      // Counted after the only wait, so that seeks sent back to back cannot all pass the check.
      if (seeks.countOf(m.user) >= MAX_SEEKS_PER_USER)
        return refuse(m, 'not_allowed_now', `at most ${MAX_SEEKS_PER_USER} seeks at a time`);
      const { clock, color, rated } = m.d;
      return seeks.add({ id: randomId(8), user: { id: m.user, name }, clock, color, rated });
    },
    async 'seek-cancel'(m) {
      if (m.t !== 'seek-cancel') return;
      const seek = seeks.get(m.d.id);
      if (!seek || seek.user.id !== m.user) return refuse(m, 'not_allowed_now', 'no such seek of yours');
      return seeks.remove(seek.id);
    },
    async 'seek-accept'(m) {
      if (m.t !== 'seek-accept') return;
      const seek = seeks.get(m.d.id);
      if (!seek) return refuse(m, 'not_allowed_now', 'this seek is gone');
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to play');
      if (seek.user.id === m.user) return refuse(m, 'not_allowed_now', 'this is your own seek');
      if (seek.rated && isAnonymous(m.user)) return refuse(m, 'not_allowed_now', 'rated games need an account');
      // Gone from the list before any wait: a second accepter finds it gone.
      await seeks.remove(seek.id);
      const accepter = { id: m.user, name: await d.nameOf(m.user) };
      const [white, black] = seekColor(seek.color) === 'white' ? [seek.user, accepter] : [accepter, seek.user];
      return d.startGame({ players: { white, black }, clock: seek.clock, rated: seek.rated });
    },
    async 'pool-in'(m) {
      if (m.t !== 'pool-in') return;
      if (!isPoolId(m.d.id)) return refuse(m, 'bad_message', `no pool ${m.d.id}; pools are ${POOL_IDS.join(', ')}`);
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to play (an anonymous one will do)');
      return pools.join(m.user, m.d.id);
    },
    'pool-out'(m) {
      if (m.t === 'pool-out' && m.user && isPoolId(m.d.id)) pools.leave(m.user, m.d.id);
      return Promise.resolve();
    },
  };

  return {
    /** lila-core (re)started: relays holding the lobby from before hear that no seek is left. */
    restarted: (): Promise<unknown> => seeks.restarted(),

    /** The version of the latest lobby event. */
    get version(): number {
      return seeks.version;
    },

    handle(m: LobbyMessage): Promise<unknown> {
      // A socket that acts is there, whether or not lila-core saw it join (it restarted since, and
      // the relay's report is still to come): its leave must find it, or its seeks would never die.
      if (m.t !== 'join' && m.t !== 'leave') present(keyOf(m), m.user);
      const handler = handlers[m.t];
      return handler ? handler(m) : refuse(m, 'not_allowed_here', `"${m.t}" is not a lobby action`);
    },
    /** Someone starts a game (game/start.ts): their seeks die, they leave the pools. */
    async started(userIds: string[]): Promise<void> {
      for (const user of userIds) {
        await seeks.removeOf(user);
        pools.leaveAll(user);
      }
    },
    /** A relay reports a lobby socket lila-core may not know (it restarted): counted as joined. */
    reported(at: { relay: string; boot: string; sid: string }, user: string | null): void {
      present(`${at.relay}/${at.boot}/${at.sid}`, user);
    },
    /** A relay's report is complete: its lobby sockets it did not name are gone (their leave was lost). */
    keepOnly(relay: string, boot: string, named: ReadonlySet<string>): void {
      const prefix = `${relay}/${boot}/`;
      for (const [key, user] of [...sockets])
        if (key.startsWith(prefix) && !named.has(key.slice(prefix.length))) socketGone(key, user);
    },
    /** A relay is dead (silent, or restarted): its lobby sockets are gone. */
    forgetRelay(relay: string, boot: string): void {
      const prefix = `${relay}/${boot}/`;
      for (const [key, user] of [...sockets]) if (key.startsWith(prefix)) socketGone(key, user);
    },
  };
}
export type Lobby = ReturnType<typeof createLobby>;

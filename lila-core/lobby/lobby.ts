import { Room } from '../../protocol/channels.js';
import { errorFrame, type SeekJson } from '../../protocol/client-out.js';
import type { SocketEnvelope } from '../../protocol/core-in.js';
import { isAnonymous, type ClockConfig, type Color, type Player } from '../../protocol/game.js';
import type { Clock } from '../time.js';
import { randomId } from '../ids.js';
import type { Games } from '../game/games.js';
import type { Publisher } from '../publish.js';
import { pairWave, type Candidate } from './pairing.js';
import { FULL_WAVE, isPoolId, poolClock, POOL_IDS, waveEveryMs, type PoolId } from './pools.js';

/**
 * The lobby: seeks and pools. Seeks are versioned lobby events (a socket joining gets the list at
 * a version, then each change); pool counts are sent at most once a second, when they changed.
 * A seek dies when its owner has had no lobby socket for 5 s, or when the owner starts a game.
 * A player with no lobby socket leaves every pool at once.
 */
const SEEK_OWNER_GONE_MS = 5_000;
const MAX_SEEKS_PER_USER = 5;
const COUNTS_EVERY_MS = 1_000;

type Waiting = { player: Player; rating: number; misses: number };
type LobbyMessage = SocketEnvelope & { room: 'lobby' };

export type LobbyDeps = {
  games: Games;
  publish: Publisher;
  clock: Clock;
  /** The player's rating for games with this clock (1500 without one). */
  ratingOf: (userId: string, clock: ClockConfig) => Promise<number>;
  /** A player's name, for seeks. */
  nameOf: (userId: string) => Promise<string>;
  onError: (err: Error) => void;
};

export function createLobby(d: LobbyDeps) {
  // Lobby versions go on across lila-core restarts (relays keep the lobby's recent events): they
  // start from the wall clock in ms, so they only grow, unless a second saw 1,000 lobby events.
  let v = Date.now();
  const seeks = new Map<string, SeekJson>();
  /** Lobby sockets by `relay/boot/sid`, with their user. */
  const sockets = new Map<string, string | null>();
  const ownerGone = new Map<string, () => void>();
  const pools = new Map<PoolId, Map<string, Waiting>>(POOL_IDS.map((id) => [id, new Map()]));
  const waves = new Map<PoolId, () => void>();
  let lastCounts = '';

  const tell = (m: LobbyMessage, frame: string) => d.publish.socket(m.relay, m.sid, frame);
  const refuse = (m: LobbyMessage, code: Parameters<typeof errorFrame>[0], message: string) =>
    tell(m, errorFrame(code, message));
  const event = (t: string, data: unknown) => d.publish.event(Room.lobby, { frame: { t, v: ++v, d: data } });
  const keyOf = (m: LobbyMessage) => `${m.relay}/${m.boot}/${m.sid}`;
  /** Lobby sockets per user: asked on every leave, so counted rather than searched. */
  const perUser = new Map<string, number>();
  const inLobby = (user: string) => perUser.has(user);
  const socketCame = (key: string, user: string | null) => {
    if (sockets.has(key)) return;
    sockets.set(key, user);
    if (user) perUser.set(user, (perUser.get(user) ?? 0) + 1);
  };

  const removeSeek = (id: string) => seeks.delete(id) && event('seekRemove', { id });
  const removeSeeksOf = async (user: string) => {
    for (const seek of [...seeks.values()]) if (seek.user.id === user) await removeSeek(seek.id);
  };
  const leavePools = (user: string) => pools.forEach((pool) => pool.delete(user));

  /** Both players go to their new game, on every tab; neither keeps a seek or a place in a pool. */
  const start = async (white: Player, black: Player, clock: ClockConfig, rated: boolean) => {
    const game = await d.games.create({ white, black }, clock, { rated });
    for (const p of [white, black]) {
      await removeSeeksOf(p.id);
      leavePools(p.id);
    }
    const redirect = { t: 'redirect', d: { id: game.id } } as const;
    await Promise.all([d.publish.room(Room.user(white.id), redirect), d.publish.room(Room.user(black.id), redirect)]);
  };

  /**
   * One wave: the pairs leave the pool at once, before any game is created, so that a player
   * leaving meanwhile or a wave started by a full pool cannot pair anyone twice.
   */
  const runWave = async (id: PoolId) => {
    waves.get(id)?.();
    waves.delete(id);
    const pool = pools.get(id)!;
    const candidates: (Candidate & Waiting)[] = [...pool.entries()].map(([user, w]) => ({ id: user, ...w }));
    const { pairs, waiting } = pairWave(candidates);
    for (const c of waiting) pool.get(c.id)!.misses++;
    for (const player of pairs.flat()) pool.delete(player.id);
    if (pool.size) scheduleWave(id);
    for (const [a, b] of pairs as [Candidate & Waiting, Candidate & Waiting][]) {
      const [white, black] = Math.random() < 0.5 ? [a.player, b.player] : [b.player, a.player];
      await start(white, black, poolClock(id), !isAnonymous(white.id) && !isAnonymous(black.id)).catch((err: Error) =>
        d.onError(err),
      );
    }
  };

  const scheduleWave = (id: PoolId) => {
    if (pools.get(id)!.size >= FULL_WAVE) return void runWave(id).catch((err: Error) => d.onError(err));
    if (!waves.has(id))
      waves.set(
        id,
        d.clock.at(d.clock.now() + waveEveryMs(id), () => runWave(id)),
      );
  };

  const counts = () => Object.fromEntries(POOL_IDS.map((id) => [id, pools.get(id)!.size]));
  const sendCounts = async () => {
    const now = counts();
    const text = JSON.stringify(now);
    if (text !== lastCounts) {
      lastCounts = text;
      await d.publish.room(Room.lobby, { t: 'pools', d: now });
    }
  };
  const tickCounts = (): unknown => d.clock.at(d.clock.now() + COUNTS_EVERY_MS, () => sendCounts().finally(tickCounts));
  tickCounts();

  /** A lobby socket is gone: a user with none left leaves the pools now, and their seeks in 5 s. */
  const socketGone = (key: string, user: string | null) => {
    if (!sockets.delete(key) || !user) return;
    const left = (perUser.get(user) ?? 1) - 1;
    if (left > 0) return void perUser.set(user, left);
    perUser.delete(user);
    leavePools(user);
    ownerGone.get(user)?.();
    ownerGone.set(
      user,
      d.clock.at(d.clock.now() + SEEK_OWNER_GONE_MS, () => {
        ownerGone.delete(user);
        return inLobby(user) ? undefined : removeSeeksOf(user);
      }),
    );
  };

  const seekColor = (color: SeekJson['color']): Color =>
    color === 'random' ? (Math.random() < 0.5 ? 'white' : 'black') : color;

  const handlers: Partial<Record<LobbyMessage['t'], (m: LobbyMessage) => Promise<unknown>>> = {
    async join(m) {
      socketCame(keyOf(m), m.user);
      if (m.user) {
        ownerGone.get(m.user)?.();
        ownerGone.delete(m.user);
      }
      const frame = JSON.stringify({ t: 'seeks', v, d: [...seeks.values()] });
      return d.publish.join(m.relay, m.sid, 200, frame, { v });
    },
    async leave(m) {
      socketGone(keyOf(m), m.user);
    },
    async seek(m) {
      if (m.t !== 'seek') return;
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to seek a game (an anonymous one will do)');
      if (m.d.rated && isAnonymous(m.user)) return refuse(m, 'not_allowed_now', 'rated games need an account');
      const name = await d.nameOf(m.user);
      // Counted after the only wait, so that seeks sent back to back cannot all pass the check.
      if ([...seeks.values()].filter((s) => s.user.id === m.user).length >= MAX_SEEKS_PER_USER)
        return refuse(m, 'not_allowed_now', `at most ${MAX_SEEKS_PER_USER} seeks at a time`);
      const seek: SeekJson = {
        id: randomId(8),
        user: { id: m.user, name },
        clock: m.d.clock,
        color: m.d.color,
        rated: m.d.rated,
      };
      seeks.set(seek.id, seek);
      return event('seekAdd', seek);
    },
    async 'seek-cancel'(m) {
      if (m.t !== 'seek-cancel') return;
      const seek = seeks.get(m.d.id);
      if (!seek || seek.user.id !== m.user) return refuse(m, 'not_allowed_now', 'no such seek of yours');
      return removeSeek(seek.id);
    },
    async 'seek-accept'(m) {
      if (m.t !== 'seek-accept') return;
      const seek = seeks.get(m.d.id);
      if (!seek) return refuse(m, 'not_allowed_now', 'this seek is gone');
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to play');
      if (seek.user.id === m.user) return refuse(m, 'not_allowed_now', 'this is your own seek');
      if (seek.rated && isAnonymous(m.user)) return refuse(m, 'not_allowed_now', 'rated games need an account');
      seeks.delete(seek.id);
      await event('seekRemove', { id: seek.id });
      const accepter = { id: m.user, name: await d.nameOf(m.user) };
      const [white, black] = seekColor(seek.color) === 'white' ? [seek.user, accepter] : [accepter, seek.user];
      return start(white, black, seek.clock, seek.rated);
    },
    async 'pool-in'(m) {
      if (m.t !== 'pool-in') return;
      if (!isPoolId(m.d.id)) return refuse(m, 'bad_message', `no pool ${m.d.id}; pools are ${POOL_IDS.join(', ')}`);
      if (!m.user) return refuse(m, 'not_allowed_here', 'open a session to play (an anonymous one will do)');
      const pool = pools.get(m.d.id)!;
      if (!pool.has(m.user)) {
        const rating = await d.ratingOf(m.user, poolClock(m.d.id));
        pool.set(m.user, { player: { id: m.user, name: await d.nameOf(m.user) }, rating, misses: 0 });
      }
      scheduleWave(m.d.id);
    },
    async 'pool-out'(m) {
      if (m.t !== 'pool-out') return;
      if (m.user && isPoolId(m.d.id)) pools.get(m.d.id)!.delete(m.user);
    },
  };

  return {
    /**
     * A new lila-core knows no seek: relays holding a lobby from before are told, with the whole
     * (empty) list as a versioned event that starts the lobby's versions afresh.
     */
    restarted(): Promise<unknown> {
      return d.publish.event(Room.lobby, { frame: { t: 'seeks', v: ++v, d: [] }, reset: true });
    },

    /** The version of the latest lobby event. */
    get version(): number {
      return v;
    },

    handle(m: LobbyMessage): Promise<unknown> {
      const handler = handlers[m.t];
      return handler ? handler(m) : refuse(m, 'not_allowed_here', `"${m.t}" is not a lobby action`);
    },
    /** Someone starts a game elsewhere (a challenge): their seeks die, they leave the pools. */
    async started(userIds: string[]): Promise<void> {
      for (const user of userIds) {
        await removeSeeksOf(user);
        leavePools(user);
      }
    },
    /** A relay is dead (silent, or restarted): its lobby sockets are gone. */
    forgetRelay(relay: string, boot: string): void {
      const prefix = `${relay}/${boot}/`;
      for (const [key, user] of [...sockets]) if (key.startsWith(prefix)) socketGone(key, user);
    },
    /** For tests and metrics. */
    waiting: (id: PoolId): string[] => [...pools.get(id)!.keys()],
    runWave,
  };
}
export type Lobby = ReturnType<typeof createLobby>;

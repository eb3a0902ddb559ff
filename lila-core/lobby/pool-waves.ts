import { Room } from '../../protocol/channels.js';
import type { ClientOutOf } from '../../protocol/client-out.js';
import { isAnonymous, type ClockConfig, type Player } from '../../protocol/game.js';
import type { StartGame } from '../game/start.js';
import type { Publisher } from '../publish.js';
import type { Clock } from '../time.js';
import { pairWave, type Candidate } from './pairing.js';
import { FULL_WAVE, poolClock, POOL_IDS, waveEveryMs, type PoolId } from './pools.js';

/** How often at most the lobby hears how many wait in each pool (and only when that changed). */
const COUNTS_EVERY_MS = 1_000;

type Waiting = { player: Player; rating: number; misses: number };
export type PoolCounts = ClientOutOf<'pools'>['d'];

export type PoolDeps = {
  startGame: StartGame;
  publish: Publisher;
  clock: Clock;
  /** The player's rating for games with this clock (1500 without one). */
  ratingOf: (userId: string, clock: ClockConfig) => Promise<number>;
  /** A player's name, for the games it starts. */
  nameOf: (userId: string) => Promise<string>;
  /** A wave failed, or a game it paired could not start (the pair has left the pool all the same). */
  onError: (err: Error) => void;
};

/**
 * Who waits in each pool, and the waves that pair them (pairing.ts says who with whom): a wave
 * runs on each pool's own schedule, or at once when the pool is full. The lobby hears the counts.
 */
export function createPoolWaves(d: PoolDeps) {
  const pools = new Map<PoolId, Map<string, Waiting>>(POOL_IDS.map((id) => [id, new Map()]));
  const waves = new Map<PoolId, () => void>();

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
      const rated = !isAnonymous(white.id) && !isAnonymous(black.id);
      await d
        .startGame({ players: { white, black }, clock: poolClock(id), rated })
        .catch((err: Error) => d.onError(err));
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

  /** How many wait in each pool now. */
  const counts = (): PoolCounts => Object.fromEntries(POOL_IDS.map((id) => [id, pools.get(id)!.size]));
  let lastSizes = '';
  const sendCounts = async () => {
    const now = counts();
    const sizes = Object.values(now).join();
    if (sizes === lastSizes) return;
    lastSizes = sizes;
    await d.publish.room(Room.lobby, { t: 'pools', d: now });
  };
  // A failed send is reported by the clock's timer (time.ts), and the next tick comes all the same.
  const tickCounts = (): unknown => d.clock.at(d.clock.now() + COUNTS_EVERY_MS, () => sendCounts().finally(tickCounts));
  tickCounts();

  return {
    counts,
    /** The user waits in pool `id` (once, however often asked), and a wave comes. */
    async join(user: string, id: PoolId): Promise<void> {
      const pool = pools.get(id)!;
      if (!pool.has(user)) {
        const rating = await d.ratingOf(user, poolClock(id));
        pool.set(user, { player: { id: user, name: await d.nameOf(user) }, rating, misses: 0 });
      }
      scheduleWave(id);
    },
    leave(user: string, id: PoolId): void {
      pools.get(id)!.delete(user);
    },
    leaveAll(user: string): void {
      pools.forEach((pool) => pool.delete(user));
    },
  };
}

import type { ClockConfig } from '../../protocol/game.js';
import { POOL_IDS, type PoolId } from '../../protocol/pools.js';

/** lichess's pools: fixed clocks, `minutes+increment` (their names are protocol's, the web UI shows them). */
export { POOL_IDS, type PoolId };

export const isPoolId = (id: string): id is PoolId => (POOL_IDS as readonly string[]).includes(id);

export function poolClock(id: PoolId): ClockConfig {
  const [minutes, increment] = id.split('+').map(Number) as [number, number];
  return { limit: minutes * 60, increment };
}

/** Waves run this often, sooner for faster clocks (lichess: 12 to 60 s)... */
export function waveEveryMs(id: PoolId): number {
  const { limit } = poolClock(id);
  if (limit <= 2 * 60) return 12_000;
  if (limit <= 5 * 60) return 20_000;
  if (limit <= 10 * 60) return 30_000;
  return 60_000;
}

/** ...or at once when this many wait. */
export const FULL_WAVE = 20;

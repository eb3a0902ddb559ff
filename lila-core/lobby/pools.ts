import type { ClockConfig } from '../../protocol/game.js';

/** lichess's pools: fixed clocks, `minutes+increment`. */
export const POOL_IDS = ['1+0', '2+1', '3+0', '3+2', '5+0', '5+3', '10+0', '10+5', '15+10', '30+0', '30+20'] as const;
export type PoolId = (typeof POOL_IDS)[number];

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

/**
 * lichess's pools, `minutes+increment`: the names `pool-in`/`pool-out` take and `pools` counts, and
 * the web UI's pool buttons.
 */
export const POOL_IDS = ['1+0', '2+1', '3+0', '3+2', '5+0', '5+3', '10+0', '10+5', '15+10', '30+0', '30+20'] as const;
export type PoolId = (typeof POOL_IDS)[number];

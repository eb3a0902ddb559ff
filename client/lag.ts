/**
 * The client's estimate of its network lag, from ping → pong round trips: the mean of the first
 * few samples (a fresh estimate moves fast), then an exponential average (one slow pong does not
 * swing it). A pure value: each sample gives a new estimate.
 */
export type LagEstimate = { readonly samples: number; readonly meanMs: number };

export const NO_LAG: LagEstimate = { samples: 0, meanMs: 0 };

/** A round trip longer than this counts as this: a socket that stalled says nothing of its lag. */
export const MAX_LAG_SAMPLE_MS = 10_000;
/** Samples averaged plainly before the exponential average takes over. */
const PLAIN_MEAN_SAMPLES = 4;
/** Weight of a new sample in the exponential average. */
const DECAY_WEIGHT = 0.1;

export function addLagSample(estimate: LagEstimate, roundTripMs: number): LagEstimate {
  const sample = Math.min(Math.max(roundTripMs, 0), MAX_LAG_SAMPLE_MS);
  const samples = estimate.samples + 1;
  const weight = samples > PLAIN_MEAN_SAMPLES ? DECAY_WEIGHT : 1 / samples;
  return { samples, meanMs: estimate.meanMs + weight * (sample - estimate.meanMs) };
}

/** The lag a move or a ping reports (`l`, whole ms), or undefined before any pong. */
export const reportedLag = (estimate: LagEstimate): number | undefined =>
  estimate.samples === 0 ? undefined : Math.round(estimate.meanMs);

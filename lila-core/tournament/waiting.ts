import type { ClockConfig } from '../../protocol/game.js';

/** Rule "more than 100 waiting": pair at once whatever anyone has waited. */
export const MAX_WAITING = 100;

/** lichess's estimate of a game's length: base + 40 × increment, in seconds. */
export const estimateSeconds = (clock: ClockConfig): number => clock.limit + 40 * clock.increment;

/**
 * How long players wait before a pairing, lichess's arena rule: 8 s for very short clocks (an
 * estimate under 30 s), 10 s for short ones (under 60 s), otherwise estimate / 10 + 6 s clamped
 * to 15–50 s: long enough for the players finishing their games to come back and be paired too.
 */
export function waitThresholdMs(clock: ClockConfig): number {
  const estimate = estimateSeconds(clock);
  if (estimate < 30) return 8_000;
  if (estimate < 60) return 10_000;
  return Math.min(50, Math.max(15, estimate / 10 + 6)) * 1000;
}

/**
 * Rule "no new pairing when less than max(30 s, min(base / 2, 120 s)) remains": a game started so
 * late would mostly be played after the end.
 */
export const lastPairingMs = (clock: ClockConfig): number => Math.max(30_000, Math.min(clock.limit * 500, 120_000));

/** Rule "in the first 15 s, rank neighbours with random colours": nobody has a history yet. */
export const PROXIMITY_MS = 15_000;

/** Who waits, and since when (ms). */
export type Waiting = ReadonlyMap<string, number>;

/** The waiting players now: those still waiting keep their time, those new to it wait from `now`. */
export function updateWaiting(before: Waiting, present: Iterable<string>, now: number): Map<string, number> {
  const next = new Map<string, number>();
  for (const id of present) next.set(id, before.get(id) ?? now);
  return next;
}

/**
 * Whether a pass pairs now: at least two wait and, unless this is the tournament's first pairing
 * (lila pairs it at once) or more than 100 wait, at least two have waited the threshold.
 */
export function readyToPair(waiting: Waiting, now: number, clock: ClockConfig, hadPairings: boolean): boolean {
  if (waiting.size < 2) return false;
  if (!hadPairings || waiting.size > MAX_WAITING) return true;
  const since = now - waitThresholdMs(clock);
  let waited = 0;
  for (const at of waiting.values()) if (at <= since && ++waited >= 2) return true;
  return false;
}

/** An even number of them: with an odd number, the one who came last waits for the next pass (lila's rule). */
export function evenNumber(waiting: Waiting): string[] {
  const ids = [...waiting.keys()];
  if (ids.length % 2 === 0) return ids;
  let last = ids[0];
  for (const id of ids) if (waiting.get(id)! > waiting.get(last)!) last = id;
  return ids.filter((id) => id !== last);
}

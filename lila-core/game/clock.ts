import type { ClockConfig, Clocks, Color } from '../../protocol/game.js';

/**
 * Fischer clocks, in milliseconds, as pure functions of the time `now`.
 * As on lichess, a side's clock runs only once both sides have made their first move.
 */
export type ClockState = {
  /** Remaining time of each side at the start of the current turn. */
  remaining: { white: number; black: number };
  /** When the side to move's clock started running; null while it does not run. */
  runningSince: number | null;
};

export const initialClock = (config: ClockConfig): ClockState => ({
  remaining: { white: config.limit * 1000, black: config.limit * 1000 },
  runningSince: null,
});

/** Time left to `color` at `now`. */
export function timeLeft(clock: ClockState, color: Color, turn: Color, now: number): number {
  const left = clock.remaining[color];
  return color === turn && clock.runningSince !== null ? left - (now - clock.runningSince) : left;
}

export type Punched = { ok: true; clock: ClockState } | { ok: false; flagged: true };

/** `mover` completes a move at `now`, `ply` being the number of moves played before it. */
export function punch(clock: ClockState, config: ClockConfig, mover: Color, ply: number, now: number): Punched {
  const opponentStarts = ply + 1 >= 2 ? now : null;
  if (clock.runningSince === null)
    return { ok: true, clock: { remaining: clock.remaining, runningSince: opponentStarts } };
  const left = timeLeft(clock, mover, mover, now);
  if (left <= 0) return { ok: false, flagged: true };
  return {
    ok: true,
    clock: { remaining: { ...clock.remaining, [mover]: left + config.increment * 1000 }, runningSince: opponentStarts },
  };
}

/** Both clocks at `now`, in seconds with centisecond precision, never negative. */
export function clocksInSeconds(clock: ClockState, turn: Color, now: number): Clocks {
  const s = (ms: number) => Math.max(0, Math.round(ms / 10) / 100);
  return { white: s(timeLeft(clock, 'white', turn, now)), black: s(timeLeft(clock, 'black', turn, now)) };
}

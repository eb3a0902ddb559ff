import type { ClockConfig, Clocks, Color } from '../../protocol/game.js';
import type { RatedSpeed } from '../../protocol/user.js';

/**
 * Fischer clocks, in milliseconds, as pure functions of the time `now`.
 * As on lichess, a side's clock runs only once both sides have made their first move.
 */
export type ClockState = {
  /** Remaining time of each side at the start of the current turn. */
  remaining: { white: number; black: number };
  /** When the side to move's clock started running; null while it does not run. */
  runningSince: number | null;
  /** Each side's lag compensation quota (see `compensate`). */
  lagQuota: { white: number; black: number };
};

/**
 * Lag compensation, after lichess's quota rule. A move may report the client's measured network
 * lag `l` (ms). The mover is refunded min(l, quota, time spent) for that move. Each move then
 * earns `gain` = min(1000, 150 + 0.4 × l) back, and the quota never exceeds 7 × gain.
 * It starts at 3 × the gain of a zero-lag move (450 ms). A client that lies about its lag gains
 * at most a second per move, and never more than it spent.
 */
const gainFor = (lag: number) => Math.min(1000, 150 + 0.4 * lag);
const INITIAL_QUOTA = 3 * gainFor(0);

export const initialClock = (config: ClockConfig): ClockState => ({
  remaining: { white: config.limit * 1000, black: config.limit * 1000 },
  runningSince: null,
  lagQuota: { white: INITIAL_QUOTA, black: INITIAL_QUOTA },
});

/** Time left to `color` at `now`. */
export function timeLeft(clock: ClockState, color: Color, turn: Color, now: number): number {
  const left = clock.remaining[color];
  return color === turn && clock.runningSince !== null ? left - (now - clock.runningSince) : left;
}

/** When the side to move runs out of time, if its clock runs. */
export const flagAt = (clock: ClockState, turn: Color): number | null =>
  clock.runningSince === null ? null : clock.runningSince + clock.remaining[turn];

/**
 * `mover` completes a move at `now`, `ply` being the number of moves played before it, `lag` the
 * lag its client reported: the clock after the move, or `flagged` when the mover's time ran out
 * before it (after compensation). Not a refusal: the move is lost on time, and the game with it.
 *
 * `movedAt`: when the move reached a relay (receive-time.ts), if before `now`. The mover's think
 * time ends there and the opponent's clock starts at `now`, when the move is played and its event
 * goes out: time the move spent in queues is charged to neither side. Never below zero: a move
 * received before its turn began (sent blind) spent nothing.
 */
export function punch(
  clock: ClockState,
  config: ClockConfig,
  mover: Color,
  ply: number,
  now: number,
  lag = 0,
  movedAt = now,
): ClockState | 'flagged' {
  const opponentStarts = ply + 1 >= 2 ? now : null;
  if (clock.runningSince === null) return { ...clock, runningSince: opponentStarts };
  const spent = Math.max(0, Math.min(movedAt, now) - clock.runningSince);
  const quota = clock.lagQuota[mover];
  const refund = Math.max(0, Math.min(lag, quota, spent));
  const left = clock.remaining[mover] - spent + refund;
  if (left <= 0) return 'flagged';
  const gain = gainFor(lag);
  return {
    remaining: { ...clock.remaining, [mover]: left + config.increment * 1000 },
    runningSince: opponentStarts,
    lagQuota: { ...clock.lagQuota, [mover]: Math.min(7 * gain, quota - refund + gain) },
  };
}

/** Charges the side to move for its turn so far and stops the clock (the game ended). */
export function stop(clock: ClockState, turn: Color, now: number): ClockState {
  const left = Math.max(0, timeLeft(clock, turn, turn, now));
  return { ...clock, remaining: { ...clock.remaining, [turn]: left }, runningSince: null };
}

/** `color` gets `ms` more. */
export const giveTime = (clock: ClockState, color: Color, ms: number): ClockState => ({
  ...clock,
  remaining: { ...clock.remaining, [color]: clock.remaining[color] + ms },
});

/** Both clocks at `now`, in seconds with centisecond precision, never negative. */
export function clocksInSeconds(clock: ClockState, turn: Color, now: number): Clocks {
  const s = (ms: number) => Math.max(0, Math.round(ms / 10) / 100);
  return { white: s(timeLeft(clock, 'white', turn, now)), black: s(timeLeft(clock, 'black', turn, now)) };
}

/** lichess's speed categories, by limit + 40 × increment seconds. */
export type Speed = 'ultraBullet' | 'bullet' | 'blitz' | 'rapid' | 'classical';
export function speedOf(config: ClockConfig): Speed {
  const estimate = config.limit + 40 * config.increment;
  if (estimate < 30) return 'ultraBullet';
  if (estimate < 180) return 'bullet';
  if (estimate < 480) return 'blitz';
  if (estimate < 1500) return 'rapid';
  return 'classical';
}

/** The rating a game counts for. UltraBullet counts as bullet (lichess rates it apart): four ratings per user. */
export function ratedSpeedOf(config: ClockConfig): RatedSpeed {
  const speed = speedOf(config);
  return speed === 'ultraBullet' ? 'bullet' : speed;
}

/** How long each side has to make its first move before the game is aborted, as on lichess. */
export const firstMoveLimitMs = (config: ClockConfig): number =>
  ({ ultraBullet: 15, bullet: 20, blitz: 25, rapid: 30, classical: 35 })[speedOf(config)] * 1000;

/**
 * Berserk (lichess's arena rule): the player's remaining time is halved, unless the base time is
 * under 40 × increment (then it stays), and their increment is gone (`incrementOf`). Only before
 * the player's first move, so the remaining time is still the whole base.
 */
export function goBerserk(clock: ClockState, config: ClockConfig, color: Color): ClockState {
  if (config.limit < 40 * config.increment) return clock;
  return { ...clock, remaining: { ...clock.remaining, [color]: Math.floor(clock.remaining[color] / 2) } };
}

/** The clock as `color` plays it: a berserk player has no increment. */
export const incrementOf = (config: ClockConfig, berserk: boolean): ClockConfig =>
  berserk ? { ...config, increment: 0 } : config;

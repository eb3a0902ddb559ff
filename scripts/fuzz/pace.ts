import type { FrameKind } from './frames.js';

/**
 * How fast one fuzz socket sends, so that its frames reach the relay's parsing instead of its rate
 * limits. The relay gives each socket a token bucket per kind (ws-server/rate-limit.ts: moves 60
 * at once then 15/s, chat 10 then 1/s, everything else 30 then 3/s; pings free); the fuzzer keeps
 * the same buckets a little smaller on its side and sends a frame only when its bucket has a token.
 * Should the relay's sizes change and a `rate_limited` error come back anyway, the socket halves its
 * rates and pauses a second, then creeps back. Pure: the time is passed in.
 */
export type Budget = { burst: number; perSecond: number };

/** A tenth under the relay's, for clock drift between the two processes. */
export const BUDGETS: Readonly<Record<Exclude<FrameKind, 'ping'>, Budget>> = {
  move: { burst: 54, perSecond: 13.5 },
  chat: { burst: 9, perSecond: 0.9 },
  other: { burst: 27, perSecond: 2.7 },
};

/** However free a frame is, a socket sends at most this often (pings would otherwise go as fast as the event loop). */
export const MIN_GAP_MS = 15;

export type Pace = {
  tokens: Record<Exclude<FrameKind, 'ping'>, number>;
  at: number;
  /** 1 normally; halved at each `rate_limited`, back to 1 slowly. */
  speed: number;
  pausedUntil: number;
  lastSent: number;
};

export const newPace = (now: number): Pace => ({
  tokens: { move: BUDGETS.move.burst, chat: BUDGETS.chat.burst, other: BUDGETS.other.burst },
  at: now,
  speed: 1,
  pausedUntil: now,
  lastSent: -Infinity,
});

function refill(pace: Pace, now: number): void {
  const elapsed = Math.max(0, now - pace.at);
  pace.at = now;
  for (const kind of ['move', 'chat', 'other'] as const) {
    const { burst, perSecond } = BUDGETS[kind];
    pace.tokens[kind] = Math.min(burst, pace.tokens[kind] + (elapsed * perSecond * pace.speed) / 1000);
  }
}

/** When a frame of `kind` may go (now or later), in ms since the epoch. */
export function readyAt(pace: Pace, kind: FrameKind, now: number): number {
  refill(pace, now);
  const floor = Math.max(pace.pausedUntil, pace.lastSent + MIN_GAP_MS, now);
  if (kind === 'ping') return floor;
  const missing = 1 - pace.tokens[kind];
  if (missing <= 0) return floor;
  return Math.max(floor, now + Math.ceil((missing * 1000) / (BUDGETS[kind].perSecond * pace.speed)));
}

/** A frame of `kind` went out at `now`. */
export function spend(pace: Pace, kind: FrameKind, now: number): void {
  refill(pace, now);
  if (kind !== 'ping') pace.tokens[kind] -= 1;
  pace.lastSent = now;
}

/** The relay said `rate_limited`: slow down. */
export function throttled(pace: Pace, now: number): void {
  refill(pace, now);
  pace.speed = Math.max(1 / 16, pace.speed / 2);
  pace.pausedUntil = now + 1000;
  for (const kind of ['move', 'chat', 'other'] as const) pace.tokens[kind] = Math.min(pace.tokens[kind], 0);
}

/** Any other answer: recover speed a little. */
export function answered(pace: Pace): void {
  pace.speed = Math.min(1, pace.speed * 1.02);
}

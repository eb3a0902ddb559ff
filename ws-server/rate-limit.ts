import type { ClientActionType } from '../protocol/client-in.js';

/**
 * Per-socket rate limits, applied by the relay before anything reaches Redis: one token bucket per
 * kind of frame, and a second bucket that counts what was dropped, so that a socket that keeps
 * flooding is closed rather than dropped forever. Pure: the caller passes the time. Pings are not
 * limited (the relay answers them itself, at no cost to anyone else).
 *
 * Sizes (the README's "Rate limits" gives the reasoning): lila-ws allows a /play socket 100 frames
 * per 20 s and a spectator 50 per 20 s, all kinds together, and closes the socket (1008) at the
 * first frame past that. Ours are per kind and more generous, so that no person ever meets them;
 * they are here to stop scripts.
 */
export type Kind = 'move' | 'chat' | 'other';
export type Bucket = { burst: number; perSecond: number };

export const LIMITS: Readonly<Record<Kind, Bucket>> = {
  /**
   * Moves alternate: a player's next move waits for the opponent's, so even a premove exchange
   * in bullet gives at most one move per round trip, and a whole 1/4+0 game is under 100 moves a
   * side in 15 s (under 7 a second). 60 at once covers any premove run plus the moves a client
   * sends again after reconnecting; 15 a second is twice the fastest game ever sustained.
   */
  move: { burst: 60, perSecond: 15 },
  /** Ten lines at once ("gg", "wp", "thx"...), then one a second: faster than anyone types for long. */
  chat: { burst: 10, perSecond: 1 },
  /**
   * Everything else (clock requests, offers, seeks and pools, and frames refused as malformed):
   * buttons clicked as fast as a hand can for several seconds, then 3 a second.
   */
  other: { burst: 30, perSecond: 3 },
};

/**
 * Dropped frames a socket may pile up before it is closed with 1008, and how fast that forgiveness
 * comes back: a client slightly over a limit now and then is never closed; a flood is, after 50.
 */
export const FLOOD: Bucket = { burst: 50, perSecond: 1 };

/** At most one `rate_limited` error a socket per this long, so that errors cannot amplify a flood. */
export const ERROR_EVERY_MS = 1000;

export const kindOf = (t: ClientActionType | undefined): Kind =>
  t === 'move' ? 'move' : t === 'talk' ? 'chat' : 'other';

/**
 * What to do with a frame: pass it on; drop it (and tell the socket, at most once per
 * ERROR_EVERY_MS); or close the socket (1008).
 */
export type Verdict = 'pass' | 'drop' | 'drop-and-tell' | 'close';

const KINDS: readonly Kind[] = ['move', 'chat', 'other'];
/** Slots of a socket's state: tokens used and last refill of each bucket (kinds, then FLOOD), then the last error. */
const FLOOD_SLOT = KINDS.length;
const ERROR_AT = 2 * (KINDS.length + 1);
const slotOf: Record<Kind, number> = { move: 0, chat: 1, other: 2 };

/** The limits of every socket of a relay: LIMITS, each burst and refill times `factor` (RATE_LIMIT_FACTOR). */
export type Limits = Readonly<Record<Kind, Bucket>>;
export const scaledLimits = (factor: number): Limits =>
  Object.fromEntries(
    KINDS.map((kind) => [kind, { burst: LIMITS[kind].burst * factor, perSecond: LIMITS[kind].perSecond * factor }]),
  ) as Record<Kind, Bucket>;

/**
 * A socket's state: one small array of numbers, allocated once per socket, written in place. Each
 * bucket counts the tokens it has used (0 = full), so a new socket needs no sizes to start.
 */
export type SocketLimits = Float64Array;

export function newLimits(now: number): SocketLimits {
  const limits = new Float64Array(ERROR_AT + 1);
  for (let slot = 0; slot <= FLOOD_SLOT; slot++) limits[2 * slot + 1] = now;
  limits[ERROR_AT] = -Infinity;
  return limits;
}

/** Refills the bucket in `slot` for the time since its last refill, then takes a token if there is one. */
function take(limits: SocketLimits, slot: number, bucket: Bucket, now: number): boolean {
  const at = 2 * slot;
  const last = limits[at + 1];
  // A wall clock set back gives no refill, and refills count from the new time on.
  const elapsed = now > last ? now - last : 0;
  const used = Math.max(0, limits[at] - (elapsed * bucket.perSecond) / 1000);
  limits[at + 1] = now;
  // (A hair of slack: refills summed from many small steps may fall a rounding error short.)
  if (used + 1 > bucket.burst + 1e-9) {
    limits[at] = used;
    return false;
  }
  limits[at] = used + 1;
  return true;
}

/** Charges one frame of `kind` to the socket at `now`, under the relay's `sizes`. */
export function admit(limits: SocketLimits, kind: Kind, now: number, sizes: Limits = LIMITS): Verdict {
  if (take(limits, slotOf[kind], sizes[kind], now)) return 'pass';
  if (!take(limits, FLOOD_SLOT, FLOOD, now)) return 'close';
  if (now - limits[ERROR_AT] < ERROR_EVERY_MS) return 'drop';
  limits[ERROR_AT] = now;
  return 'drop-and-tell';
}

/**
 * The client's timings, lichess's by default (see lila's ui socket client), and the pure rules
 * built on them: when to ping, how long to wait before reconnecting, when the user counts as idle.
 */
export type Timing = {
  /** Ping this long after each pong. */
  pingDelayMs: number;
  /** Added to the ping delay while idle. */
  idlePingExtraMs: number;
  /** No pong this long after a ping: the connection is dead, reconnect. */
  pongTimeoutMs: number;
  /** A reconnect waits between these (uniformly random), so that a relay's sockets come back spread out. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** While idle, reconnects wait between these instead. */
  idleReconnectMinMs: number;
  idleReconnectMaxMs: number;
  /** Each attempt in a row that never opened doubles the wait, up to this many times. */
  maxBackoffDoublings: number;
  /** A move unacknowledged this long after it was last sent is sent again... */
  resendAfterMs: number;
  /** ...checked this often. */
  resendCheckMs: number;
  /** A version gap still open after this: resync. */
  gapWaitMs: number;
  /** After `resync`, the state the relay sends next; not there by then: reconnect without `?v=`. */
  snapshotWaitMs: number;
  /** After `serverRestart` the relay closes the socket; not closed by then: the client closes it. */
  restartGraceMs: number;
  /** No activity for this long: idle (slower pings and reconnects). */
  idleAfterMs: number;
  /** Idle for this long more: the socket is closed until the next activity. */
  sleepAfterIdleMs: number;
  /** One ping in this many carries the lag (`{"t":"p","l":ms}`). */
  lagPingEvery: number;
};

export const DEFAULT_TIMING: Timing = {
  pingDelayMs: 2500,
  idlePingExtraMs: 1000,
  pongTimeoutMs: 9000,
  reconnectMinMs: 1000,
  reconnectMaxMs: 3500,
  idleReconnectMinMs: 10_000,
  idleReconnectMaxMs: 20_000,
  maxBackoffDoublings: 3,
  resendAfterMs: 2500,
  resendCheckMs: 1200,
  gapWaitMs: 2000,
  snapshotWaitMs: 2000,
  restartGraceMs: 10_000,
  idleAfterMs: 10 * 60_000,
  sleepAfterIdleMs: 2 * 3600_000,
  lagPingEvery: 10,
};

export type Activity = 'active' | 'idle' | 'asleep';

/** Where the user is, from the time of their last activity. */
export function activityAt(lastActivityAt: number, now: number, t: Timing): Activity {
  const quiet = now - lastActivityAt;
  if (quiet >= t.idleAfterMs + t.sleepAfterIdleMs) return 'asleep';
  return quiet >= t.idleAfterMs ? 'idle' : 'active';
}

export const pingDelay = (activity: Activity, t: Timing): number =>
  t.pingDelayMs + (activity === 'active' ? 0 : t.idlePingExtraMs);

/**
 * The wait before the next connection attempt: jittered between the bounds, doubled for each
 * attempt in a row that never opened (a refused upgrade, a relay down), so that a client cannot
 * hammer a server that turns it away. `random` is in [0, 1).
 */
export function reconnectDelay(failedAttempts: number, activity: Activity, random: number, t: Timing): number {
  const [min, max] =
    activity === 'active' ? [t.reconnectMinMs, t.reconnectMaxMs] : [t.idleReconnectMinMs, t.idleReconnectMaxMs];
  return (min + random * (max - min)) * 2 ** Math.min(failedAttempts, t.maxBackoffDoublings);
}

/** The nth ping (from 0) carries the lag when this says so, and only once there is one. */
export const pingCarriesLag = (pingCount: number, t: Timing): boolean => pingCount % t.lagPingEvery === 2;

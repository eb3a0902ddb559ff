/**
 * When a supervised process that exited is started again: soon after a first crash, later and
 * later while it keeps crashing (a store that will not start must not be hammered), and soon
 * again once it had stayed up a while. Pure: the caller passes how long the process was up.
 */
export type RestartPolicy = {
  /** The delay after a process that had stayed up, or after its first exit. */
  firstDelayMs: number;
  /** Delays double up to this. */
  maxDelayMs: number;
  /** Up this long, a process is well again: its next exit starts from `firstDelayMs`. */
  resetAfterMs: number;
};

export const RESTART_POLICY: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 10_000, resetAfterMs: 60_000 };

/** Exits in a row, each after less than `resetAfterMs` up. */
export type Restarts = { quickExits: number };

export const NO_RESTARTS: Restarts = { quickExits: 0 };

/**
 * A process exited after `upMs` up (0 when it never got ready): the delay before it starts again,
 * and the count to pass next time.
 */
export function afterExit(
  restarts: Restarts,
  upMs: number,
  policy: RestartPolicy = RESTART_POLICY,
): { delayMs: number; restarts: Restarts } {
  const quickExits = upMs >= policy.resetAfterMs ? 0 : restarts.quickExits;
  // 2^quickExits overflows nothing here: the cap is reached long before.
  const delayMs = Math.min(policy.firstDelayMs * 2 ** Math.min(quickExits, 30), policy.maxDelayMs);
  return { delayMs, restarts: { quickExits: quickExits + 1 } };
}

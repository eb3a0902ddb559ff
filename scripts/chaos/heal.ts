/**
 * How long the stack takes to heal after a fault: every /health polled (nginx's, lila-core's,
 * each relay's) until all answer 200, and the bots' acknowledgements watched for the next one.
 */
const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    async (res) => (await res.arrayBuffer(), res.status),
    () => 0,
  );

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class HealthWatch {
  /** The last poll's statuses, in the order of the URLs. */
  last: number[] = [];
  private running = false;
  private readonly waiters = new Set<{ since: number; resolve: (at: number) => void }>();

  constructor(
    private readonly urls: () => string[],
    private readonly everyMs = 200,
  ) {}

  start(): void {
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const startedAt = Date.now();
      this.last = await Promise.all(this.urls().map(status));
      if (this.last.every((s) => s === 200)) {
        const at = Date.now();
        for (const waiter of [...this.waiters])
          if (waiter.since <= startedAt) {
            this.waiters.delete(waiter);
            waiter.resolve(at);
          }
      }
      await pause(this.everyMs);
    }
  }

  /** When a poll begun at `since` or later first saw every /health at 200; undefined past the timeout. */
  healthyAfter(since: number, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const waiter = { since, resolve: (at: number | undefined) => (clearTimeout(timer), resolve(at)) };
      const timer = setTimeout(() => (this.waiters.delete(waiter), resolve(undefined)), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  stop(): void {
    this.running = false;
  }
}

/** The first time in `times` (ascending) at or after `since`, waiting for it up to `timeoutMs`. */
export async function firstAfter(
  times: readonly number[],
  since: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let i = times.length;
    while (i > 0 && times[i - 1] >= since) i--;
    if (i < times.length) return times[i];
    if (Date.now() > deadline) return undefined;
    await pause(50);
  }
}

/** Resolves once `check()` holds (true), or false past the timeout. */
export async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await pause(50);
  }
  return true;
}

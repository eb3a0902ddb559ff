/** A `rate_limited` from the relay's per-socket limits (frames by kind, moves awaiting their acks), by its message. */
export const relayLimit = (message: string): boolean => /^too many (frames|moves)/.test(message);

/** Counts by key, printed largest first. */
export class Counter {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  entries(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }
}

/**
 * What happened to the fuzzer's frames and sockets: frames sent by category; the relay's direct
 * answers (pongs, acks, clocks, errors by code, `rate_limited` among them); sockets closed, by code
 * and by the category of the last frame sent before; upgrades by outcome; and findings, anything a
 * correct relay would not have done.
 */
export class Tally {
  sent = 0;
  readonly sentBy = new Counter();
  readonly answers = new Counter();
  /** `rate_limited` errors by their message (the relay's limits, lila-core's chat limits…). */
  readonly rateLimited = new Counter();
  /** Room events and other frames that are not an answer to this socket. */
  readonly events = new Counter();
  readonly closes = new Counter();
  readonly upgrades = new Counter();
  readonly findings: string[] = [];
  findingCount = 0;

  finding(message: string): void {
    this.findingCount++;
    if (this.findings.length < 100) this.findings.push(message);
  }

  /** Frames the relay dropped for its per-socket limits. */
  relayRateLimited(): number {
    return this.rateLimited
      .entries()
      .filter(([message]) => relayLimit(message))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** Answers to frames that reached the relay's parsing: pongs, acks, clocks, every error but the relay's `rate_limited`. */
  answered(): number {
    return this.answers.total() - this.relayRateLimited();
  }
}

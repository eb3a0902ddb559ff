/**
 * An open-loop schedule: `fire(i, at)` for event i at its intended time `at` (performance.now()),
 * `rate` per second for `ms`, whatever happens to earlier events. Timers fire about every
 * millisecond; each firing sends every event due, stamped with the time it was due, not the time it
 * went out, so a late generator shows as latency rather than hiding it (no coordinated omission).
 * Resolves when the last event has gone, with how late the generator ran at worst.
 */
export function openLoop(
  rate: number,
  ms: number,
  fire: (i: number, at: number) => void,
): Promise<{ sent: number; maxLagMs: number }> {
  const total = Math.floor((rate * ms) / 1000);
  const gap = 1000 / rate;
  const t0 = performance.now();
  let sent = 0;
  let maxLagMs = 0;
  return new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - t0) / gap) + 1);
      if (due > sent) maxLagMs = Math.max(maxLagMs, now - (t0 + sent * gap));
      for (; sent < due; sent++) fire(sent, t0 + sent * gap);
      if (sent >= total) return done({ sent, maxLagMs });
      setTimeout(tick, Math.max(0, Math.min(1, t0 + sent * gap - performance.now())));
    };
    tick();
  });
}

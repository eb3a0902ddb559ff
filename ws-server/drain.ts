/** How often a draining relay closes its next slice of sockets. */
const SLICE_MS = 50;

/**
 * Closes `items` a slice at a time, evenly over `spreadMs`, so that the clients of a draining
 * relay come back to the others gradually rather than all in one instant. Resolves once all are
 * closed, or at `deadline` (ms since the epoch) with the rest left open.
 */
export function closeGradually<T>(items: readonly T[], close: (item: T) => void, spreadMs: number, deadline: number) {
  const started = Date.now();
  let closed = 0;
  return new Promise<void>((done) => {
    const step = () => {
      const share = spreadMs > 0 ? (Date.now() - started + SLICE_MS) / spreadMs : 1;
      const due = Math.min(items.length, Math.ceil(items.length * Math.min(1, share)));
      for (; closed < due; closed++) close(items[closed]!);
      if (closed >= items.length || Date.now() >= deadline) return done();
      setTimeout(step, SLICE_MS);
    };
    step();
  });
}

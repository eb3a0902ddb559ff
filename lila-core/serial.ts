/**
 * Runs tasks one after another per key, and different keys side by side: every action on a
 * game sees the result of the one before it, and publishes its events in order.
 */
export function createSerial() {
  const tails = new Map<string, Promise<unknown>>();

  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    // The caller hears of a failure through `run`; the queue only needs to know it is done.
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return run;
  };
}

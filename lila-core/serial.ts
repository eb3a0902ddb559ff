/** A bounded task refused because its key's queue is full: the sender is told `unavailable`. */
export class QueueFull extends Error {
  constructor(key: string, limit: number) {
    super(`${limit} actions already wait on ${key}`);
  }
}

type Queue = { tail: Promise<unknown>; pending: number };

/**
 * Runs tasks one after another per key, and different keys side by side: every action on a
 * game sees the result of the one before it, and publishes its events in order.
 *
 * A task from a client is `bounded`: past `limit` tasks waiting on its key it is refused at once
 * (QueueFull) and never runs, so no client can make a game's queue, nor the memory it holds, grow
 * without end. lila-core's own tasks (timers, presence) always run, and count toward the bound.
 */
export function createSerial(limit = Infinity) {
  const queues = new Map<string, Queue>();
  let tasks = 0;

  const serial = <T>(key: string, task: () => Promise<T>, o: { bounded?: boolean } = {}): Promise<T> => {
    let queue = queues.get(key);
    if (o.bounded && (queue?.pending ?? 0) >= limit) return Promise.reject(new QueueFull(key, limit));
    if (!queue) queues.set(key, (queue = { tail: Promise.resolve(), pending: 0 }));
    const run = queue.tail.then(task);
    queue.pending++;
    tasks++;
    // The caller hears of a failure through `run`; the queue only needs to know it is done.
    const tail = run.catch(() => undefined);
    queue.tail = tail;
    void tail.then(() => {
      queue.pending--;
      tasks--;
      if (queue.tail === tail) queues.delete(key);
    });
    return run;
  };

  // Functions, not getters: Object.assign would read a getter once, here, and copy that value.
  return Object.assign(serial, {
    /** Tasks queued or running on `key`. */
    pending: (key: string): number => queues.get(key)?.pending ?? 0,
    /** Keys with a task queued or running. */
    keys: (): number => queues.size,
    /** Tasks queued or running on every key. */
    tasks: (): number => tasks,
  });
}
export type Serial = ReturnType<typeof createSerial>;

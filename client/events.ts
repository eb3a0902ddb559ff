/**
 * A small typed event emitter. A listener that throws does not stop the others nor the client's
 * own handling of the frame: its error is thrown again on its own, where the platform reports it.
 */
export type Emitter<E> = {
  on: <K extends keyof E>(event: K, listener: (value: E[K]) => void) => () => void;
  emit: <K extends keyof E>(event: K, value: E[K]) => void;
};

export function createEmitter<E>(): Emitter<E> {
  const listeners = new Map<keyof E, Set<(value: never) => void>>();
  return {
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit: (event, value) => {
      for (const listener of listeners.get(event) ?? [])
        try {
          (listener as (v: typeof value) => void)(value);
        } catch (err) {
          queueMicrotask(() => {
            throw err;
          });
        }
    },
  };
}

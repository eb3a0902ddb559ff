import type { Clock, TimerHandle } from './deps.js';

/** One timer per name on an injected clock: setting a name again replaces its timer. */
export function namedTimers<N extends string>(clock: Clock) {
  const handles = new Map<N, TimerHandle>();
  const cancel = (name: N) => {
    if (!handles.has(name)) return;
    clock.clearTimeout(handles.get(name));
    handles.delete(name);
  };
  return {
    set(name: N, ms: number, run: () => void) {
      cancel(name);
      handles.set(
        name,
        clock.setTimeout(
          () => {
            handles.delete(name);
            run();
          },
          Math.max(0, ms),
        ),
      );
    },
    cancel,
    has: (name: N) => handles.has(name),
    cancelAll: () => [...handles.keys()].forEach(cancel),
  };
}

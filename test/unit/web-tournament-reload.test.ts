import { createReloader, RELOAD_SPREAD_MS } from '../../web/src/tournament/reload.js';

/** A manual timer: what was set, and firing it by hand. */
function fakeTimers() {
  const set: { f: () => void; ms: number; cleared: boolean }[] = [];
  return {
    set,
    timers: {
      setTimeout: (f: () => void, ms: number) => set.push({ f, ms, cleared: false }) - 1,
      clearTimeout: (handle: unknown) => void (set[handle as number].cleared = true),
    },
    fire(i: number) {
      if (!set[i].cleared) set[i].f();
    },
  };
}

describe('standings fetched again after reload', () => {
  test('after a random delay within 0–2 s', () => {
    for (const [random, ms] of [
      [0, 0],
      [0.5, 1000],
      [0.9999, RELOAD_SPREAD_MS - 1],
    ]) {
      const t = fakeTimers();
      createReloader({ fetch: () => undefined, random: () => random, timers: t.timers }).request();
      expect(t.set.map((s) => s.ms)).toEqual([ms]);
    }
  });

  test('once for reloads that come while a fetch is due, and again for one after it', () => {
    const t = fakeTimers();
    let fetched = 0;
    const reloader = createReloader({ fetch: () => fetched++, random: () => 0.3, timers: t.timers });
    reloader.request();
    reloader.request();
    reloader.request();
    expect(t.set).toHaveLength(1);
    t.fire(0);
    expect(fetched).toBe(1);
    reloader.request();
    expect(t.set).toHaveLength(2);
    t.fire(1);
    expect(fetched).toBe(2);
  });

  test('nothing once the page is closed, not even a fetch already due', () => {
    const t = fakeTimers();
    let fetched = 0;
    const reloader = createReloader({ fetch: () => fetched++, random: () => 0.3, timers: t.timers });
    reloader.request();
    reloader.stop();
    t.fire(0);
    reloader.request();
    expect(fetched).toBe(0);
    expect(t.set).toHaveLength(1);
  });
});

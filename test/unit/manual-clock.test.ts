import { manualClock } from '../../lila-core/time.js';

const START = 1_000_000;

/** Lets queued microtasks (and the promise jobs they queue) run. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('manualClock', () => {
  test('now() is the start until advanced; advance resolves with the new time', async () => {
    const clock = manualClock(START);
    expect(clock.now()).toBe(START);
    await expect(clock.advance(500)).resolves.toBe(START + 500);
    expect(clock.now()).toBe(START + 500);
    await expect(clock.advance(0)).resolves.toBe(START + 500);
    await expect(clock.advance(1_500)).resolves.toBe(START + 2_000);
  });

  test('a timer fires only when advance reaches its time, with now() at that time', async () => {
    const clock = manualClock(START);
    const seen: number[] = [];
    clock.at(START + 1_000, () => seen.push(clock.now()));
    await clock.advance(999);
    await settle();
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(seen).toEqual([START + 1_000]);
    // once only
    await clock.advance(10_000);
    expect(seen).toEqual([START + 1_000]);
  });

  test('timers fire in time order, each at its own time, whatever the order they were set in', async () => {
    const clock = manualClock(START);
    const seen: [string, number][] = [];
    const log = (name: string) => () => seen.push([name, clock.now()]);
    clock.at(START + 300, log('c'));
    clock.at(START + 100, log('a'));
    clock.at(START + 200, log('b'));
    clock.at(START + 900, log('late'));
    const end = await clock.advance(500);
    expect(end).toBe(START + 500);
    expect(seen).toEqual([
      ['a', START + 100],
      ['b', START + 200],
      ['c', START + 300],
    ]);
    expect(clock.now()).toBe(START + 500);
  });

  test('timers due at the same time fire in the order they were set', async () => {
    const clock = manualClock(START);
    const seen: string[] = [];
    for (const name of ['x', 'y', 'z']) clock.at(START + 50, () => seen.push(name));
    await clock.advance(50);
    expect(seen).toEqual(['x', 'y', 'z']);
  });

  test('a timer set by a firing timer within the advanced range fires too, at its own time', async () => {
    const clock = manualClock(START);
    const seen: [string, number][] = [];
    clock.at(START + 100, () => {
      seen.push(['first', clock.now()]);
      clock.at(START + 150, () => seen.push(['inside', clock.now()]));
      clock.at(START + 250, () => seen.push(['outside', clock.now()]));
    });
    clock.at(START + 180, () => seen.push(['other', clock.now()]));
    await clock.advance(200);
    expect(seen).toEqual([
      ['first', START + 100],
      ['inside', START + 150],
      ['other', START + 180],
    ]);
    await clock.advance(100);
    expect(seen.at(-1)).toEqual(['outside', START + 250]);
  });

  test('advance awaits each timer before the next one fires', async () => {
    const clock = manualClock(START);
    const seen: string[] = [];
    clock.at(START + 10, async () => {
      seen.push('a starts');
      await settle();
      seen.push('a ends');
    });
    clock.at(START + 20, () => seen.push('b'));
    await clock.advance(20);
    expect(seen).toEqual(['a starts', 'a ends', 'b']);
  });

  test('cancel: a cancelled timer never fires; the others still do', async () => {
    const clock = manualClock(START);
    const seen: string[] = [];
    const cancelA = clock.at(START + 100, () => seen.push('a'));
    clock.at(START + 200, () => seen.push('b'));
    cancelA();
    await clock.advance(1_000);
    expect(seen).toEqual(['b']);
  });

  test('a firing timer may cancel a later one', async () => {
    const clock = manualClock(START);
    const seen: string[] = [];
    const cancelLater = clock.at(START + 200, () => seen.push('later'));
    clock.at(START + 100, () => {
      seen.push('first');
      cancelLater();
    });
    await clock.advance(1_000);
    expect(seen).toEqual(['first']);
  });

  test.each([
    ['now', 0],
    ['in the past', -5_000],
  ])('a timer already due (%s) fires asynchronously, not inside at()', async (_when, offset) => {
    const clock = manualClock(START);
    let fired = 0;
    clock.at(START + offset, () => fired++);
    expect(fired).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toBe(1);
    expect(clock.now()).toBe(START);
    await clock.advance(10_000);
    expect(fired).toBe(1);
  });

  test('a timer already due can be cancelled before it fires', async () => {
    const clock = manualClock(START);
    let fired = 0;
    const cancel = clock.at(START, () => fired++);
    cancel();
    await settle();
    await clock.advance(1_000);
    expect(fired).toBe(0);
  });

  test('a timer set for the current time by a firing timer fires once, before advance goes on', async () => {
    const clock = manualClock(START);
    const seen: [string, number][] = [];
    clock.at(START + 100, () => {
      seen.push(['first', clock.now()]);
      clock.at(clock.now(), () => seen.push(['now', clock.now()]));
    });
    clock.at(START + 200, () => seen.push(['second', clock.now()]));
    await clock.advance(300);
    expect(seen).toEqual([
      ['first', START + 100],
      ['now', START + 100],
      ['second', START + 200],
    ]);
  });
});

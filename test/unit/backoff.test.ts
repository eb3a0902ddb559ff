import { afterExit, NO_RESTARTS, RESTART_POLICY, type Restarts } from '../../scripts/stack/backoff.js';

/** The delays of `n` exits in a row, each after `upMs` up. */
const delays = (ups: number[]): number[] => {
  let restarts: Restarts = NO_RESTARTS;
  return ups.map((upMs) => {
    const next = afterExit(restarts, upMs, RESTART_POLICY);
    restarts = next.restarts;
    return next.delayMs;
  });
};

test('a process that keeps exiting waits 0.5 s, then twice as long each time, up to 10 s', () => {
  expect(delays(Array(9).fill(1000))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
});

test('one that never got ready counts as a quick exit too', () => {
  expect(delays([0, 0, 0])).toEqual([500, 1000, 2000]);
});

test('a minute up makes it well again: its next exit waits 0.5 s', () => {
  expect(delays([1000, 1000, 1000, 60_000, 1000])).toEqual([500, 1000, 2000, 500, 1000]);
  expect(delays([1000, 59_999])).toEqual([500, 1000]);
});

test('thousands of exits stay at the cap', () => {
  expect(delays(Array(5000).fill(0)).at(-1)).toBe(10_000);
});

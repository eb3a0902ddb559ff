import { addLagSample, MAX_LAG_SAMPLE_MS, NO_LAG, reportedLag } from '../../client/lag.js';

/** The lag estimate: the plain mean of the first four round trips, then an exponential average. */

const after = (samples: number[]) => samples.reduce(addLagSample, NO_LAG);

test('nothing measured yet: no lag to report', () => {
  expect(reportedLag(NO_LAG)).toBeUndefined();
});

test('the first four samples are averaged plainly', () => {
  expect(after([100]).meanMs).toBe(100);
  expect(after([100, 200]).meanMs).toBe(150);
  expect(after([100, 200, 300, 400]).meanMs).toBeCloseTo(250);
});

test('from the fifth on, a new sample weighs a tenth', () => {
  expect(after([100, 100, 100, 100, 1100]).meanMs).toBeCloseTo(200);
  expect(after([100, 100, 100, 100, 1100, 200]).meanMs).toBeCloseTo(200);
});

test('a stalled round trip counts as ten seconds; the report is whole milliseconds', () => {
  expect(after([60_000]).meanMs).toBe(MAX_LAG_SAMPLE_MS);
  expect(reportedLag(after([10, 11]))).toBe(11);
});

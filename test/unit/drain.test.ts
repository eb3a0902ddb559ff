import { closeGradually } from '../../ws-server/drain.js';

test('closes everything, in order, spread over the time given rather than at once', async () => {
  const closedAt: number[] = [];
  const items = [...Array(40).keys()];
  const start = Date.now();
  await closeGradually(items, (i) => closedAt.push(i), 400, Date.now() + 5000);
  expect(closedAt).toEqual(items);
  // The first slice went at once, not everything: the rest followed in later slices.
  expect(Date.now() - start).toBeGreaterThanOrEqual(300);
});

test('with no spread, closes all at once', async () => {
  const closed: number[] = [];
  await closeGradually([1, 2, 3], (i) => closed.push(i), 0, Date.now() + 1000);
  expect(closed).toEqual([1, 2, 3]);
});

test('stops at the deadline, leaving the rest', async () => {
  const closed: number[] = [];
  await closeGradually([...Array(100).keys()], (i) => closed.push(i), 10_000, Date.now() + 120);
  expect(closed.length).toBeGreaterThan(0);
  expect(closed.length).toBeLessThan(100);
});

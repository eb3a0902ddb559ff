import { createRecent } from '../../lila-core/recent.js';

const kept = (v: number) => ({ v, frame: `{"t":"move","v":${v}}` });

test('replays the events after a version, per room', () => {
  const recent = createRecent(100);
  for (let v = 1; v <= 5; v++) recent.add('game:a', kept(v));
  recent.add('game:b', kept(1));
  expect(recent.since('game:a', 2)?.map((e) => e.v)).toEqual([3, 4, 5]);
  expect(recent.since('game:a', 5)).toEqual([]);
  expect(recent.since('game:b', 0)?.map((e) => e.v)).toEqual([1]);
  expect(recent.since('game:c', 0)).toBeUndefined();
});

test('says so when the events asked for are no longer kept', () => {
  const recent = createRecent(100);
  for (let v = 10; v <= 12; v++) recent.add('game:a', kept(v));
  expect(recent.since('game:a', 8)).toBeUndefined();
  expect(recent.since('game:a', 9)?.map((e) => e.v)).toEqual([10, 11, 12]);
});

test('holds at most its capacity across all rooms, dropping the oldest first', () => {
  const recent = createRecent(4);
  recent.add('game:a', kept(1));
  recent.add('game:b', kept(1));
  recent.add('game:a', kept(2));
  recent.add('game:b', kept(2));
  recent.add('game:a', kept(3));
  // game:a's first event went first.
  expect(recent.since('game:a', 0)).toBeUndefined();
  expect(recent.since('game:a', 1)?.map((e) => e.v)).toEqual([2, 3]);
  expect(recent.since('game:b', 0)?.map((e) => e.v)).toEqual([1, 2]);
  for (let v = 3; v < 50; v++) recent.add('game:b', kept(v));
  expect(recent.since('game:a', 1)).toBeUndefined();
  expect(recent.since('game:b', 45)?.map((e) => e.v)).toEqual([46, 47, 48, 49]);
});

test('a room whose versions start again (the lobby after a restart) keeps only the new run', () => {
  const recent = createRecent(100);
  recent.add('lobby', kept(5));
  recent.add('lobby', kept(6));
  recent.add('lobby', kept(1000));
  expect(recent.since('lobby', 5)).toBeUndefined();
  expect(recent.since('lobby', 999)?.map((e) => e.v)).toEqual([1000]);
});

import type { KeptEvent } from '../../protocol/core-out.js';
import { createHistory, HISTORY_SIZE } from '../../ws-server/history.js';

const event = (v: number, to?: KeptEvent<Buffer>['to']): KeptEvent<Buffer> => ({
  v,
  to,
  frame: Buffer.from(`{"t":"move","v":${v}}`),
});
const filled = (from: number, to: number, history = createHistory()) => {
  for (let v = from; v <= to; v++) history.add(event(v));
  return history;
};
const versions = (events: readonly KeptEvent<Buffer>[] | undefined) => events?.map((e) => e.v);

describe('history', () => {
  test('keeps events with their audience and frame bytes', () => {
    const history = createHistory();
    history.add(event(1, 'white'));
    history.add(event(2));
    expect(history.since(0)).toEqual([event(1, 'white'), event(2)]);
    expect(history.last).toBe(2);
  });

  test(`keeps the last ${HISTORY_SIZE} events only`, () => {
    const history = filled(1, 50);
    expect(versions(history.since(30))).toEqual(Array.from({ length: HISTORY_SIZE }, (_, i) => 31 + i));
    expect(history.since(29)).toBeUndefined();
    expect(history.last).toBe(50);
  });

  test('capacity is a parameter', () => {
    const history = filled(1, 5, createHistory(2));
    expect(versions(history.since(3))).toEqual([4, 5]);
    expect(history.since(2)).toBeUndefined();
  });

  test('since: the events after v, in order, from anywhere inside the buffer', () => {
    const history = filled(10, 14);
    expect(versions(history.since(9))).toEqual([10, 11, 12, 13, 14]);
    expect(versions(history.since(12))).toEqual([13, 14]);
    expect(versions(history.since(13))).toEqual([14]);
  });

  test('since: nothing after the last event, nor after a version past it', () => {
    const history = filled(10, 14);
    expect(history.since(14)).toEqual([]);
    expect(history.since(99)).toEqual([]);
  });

  test('since: a gap before the first kept event cannot be served', () => {
    const history = filled(10, 14);
    expect(history.since(8)).toBeUndefined();
    expect(history.since(0)).toBeUndefined();
    // Evicted events are gone too.
    const evicted = filled(1, HISTORY_SIZE + 1);
    expect(evicted.since(0)).toBeUndefined();
    expect(versions(evicted.since(1))).toHaveLength(HISTORY_SIZE);
  });

  test('an empty history knows of nothing after any version', () => {
    const history = createHistory();
    expect(history.since(0)).toEqual([]);
    expect(history.since(7)).toEqual([]);
    expect(history.last).toBeUndefined();
  });

  test('an event out of sequence starts over, so that a hole is never served as complete', () => {
    const skipped = filled(1, 5);
    skipped.add(event(8));
    expect(skipped.since(5)).toBeUndefined();
    expect(versions(skipped.since(7))).toEqual([8]);
    expect(skipped.last).toBe(8);

    const repeated = filled(1, 5);
    repeated.add(event(3));
    expect(repeated.since(1)).toBeUndefined();
    expect(versions(repeated.since(2))).toEqual([3]);
    expect(repeated.last).toBe(3);
  });
});

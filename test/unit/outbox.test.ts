import { createOutbox } from '../../ws-server/outbox.js';

const fill = (outbox: ReturnType<typeof createOutbox>, n: number) => {
  for (let i = 0; i < n; i++) outbox.add((seq) => `msg ${seq}`);
};

describe('outbox', () => {
  test('numbers messages from 1 and hands the number to build', () => {
    const outbox = createOutbox(10);
    expect(outbox.last).toBe(0);
    const seen: number[] = [];
    expect(outbox.add((seq) => (seen.push(seq), `a${seq}`))).toBe('a1');
    expect(outbox.add((seq) => (seen.push(seq), `b${seq}`))).toBe('b2');
    expect(seen).toEqual([1, 2]);
    expect(outbox.last).toBe(2);
  });

  test('since: the kept messages from a number on, in order', () => {
    const outbox = createOutbox(10);
    fill(outbox, 5);
    expect(outbox.since(3)).toEqual({ payloads: ['msg 3', 'msg 4', 'msg 5'], lost: 0 });
    expect(outbox.since(1).payloads).toHaveLength(5);
  });

  test('since past the end: nothing, nothing lost', () => {
    const outbox = createOutbox(10);
    fill(outbox, 3);
    expect(outbox.since(4)).toEqual({ payloads: [], lost: 0 });
    expect(createOutbox(10).since(1)).toEqual({ payloads: [], lost: 0 });
  });

  test('keeps only the last `capacity` messages and counts the older ones as lost', () => {
    const outbox = createOutbox(3);
    fill(outbox, 7);
    expect(outbox.since(1)).toEqual({ payloads: ['msg 5', 'msg 6', 'msg 7'], lost: 4 });
    expect(outbox.since(5)).toEqual({ payloads: ['msg 5', 'msg 6', 'msg 7'], lost: 0 });
    expect(outbox.since(4)).toEqual({ payloads: ['msg 5', 'msg 6', 'msg 7'], lost: 1 });
    expect(outbox.last).toBe(7);
  });

  test('a capacity of 1 keeps the latest message only', () => {
    const outbox = createOutbox(1);
    fill(outbox, 3);
    expect(outbox.since(1)).toEqual({ payloads: ['msg 3'], lost: 2 });
  });

  test('an empty payload is kept, not counted lost', () => {
    const outbox = createOutbox(5);
    outbox.add(() => '');
    expect(outbox.since(1)).toEqual({ payloads: [''], lost: 0 });
  });
});

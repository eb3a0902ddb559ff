import { createOutbox } from '../../ws-server/outbox.js';

const fill = (outbox: ReturnType<typeof createOutbox>, n: number) => {
  for (let i = 0; i < n; i++) outbox.add((seq) => `msg ${seq}`);
};

describe('outbox', () => {
  test('numbers messages from 1 and hands the number to build', () => {
    const outbox = createOutbox(10);
    expect(outbox.last).toBe(0);
    const seen: number[] = [];
    expect(outbox.add((seq) => (seen.push(seq), `a${seq}`))).toEqual({ seq: 1, payload: 'a1' });
    expect(outbox.add((seq) => (seen.push(seq), `b${seq}`))).toEqual({ seq: 2, payload: 'b2' });
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

  test('lostBy: the sockets with a message from a number on that is no longer kept', () => {
    const outbox = createOutbox(3);
    for (const sid of ['a', 'b', undefined, 'a', 'c', 'd', 'e', 'f']) outbox.add((seq) => `msg ${seq}`, sid);
    // Kept: 6 (d), 7 (e), 8 (f). Gone: 1 a, 2 b, 3 (the relay's own), 4 a, 5 c.
    expect(outbox.lostBy(1).sort()).toEqual(['a', 'b', 'c']);
    expect(outbox.lostBy(3).sort()).toEqual(['a', 'c']);
    expect(outbox.lostBy(5)).toEqual(['c']);
    expect(outbox.lostBy(6)).toEqual([]);
  });

  test('lostBy remembers only the last `capacity` sockets whose messages left the log', () => {
    const outbox = createOutbox(2);
    for (const sid of ['a', 'b', 'c', 'd', undefined, undefined]) outbox.add((seq) => `msg ${seq}`, sid);
    // Gone: 1 a, 2 b, 3 c, 4 d; of those sockets, the last two are remembered.
    expect(outbox.lostBy(1).sort()).toEqual(['c', 'd']);
  });

  test('a socket closed is not remembered: forgotten at once, and passed over when its messages leave the log', () => {
    const closed = new Set(['b']);
    const outbox = createOutbox(2, (sid) => !closed.has(sid));
    for (const sid of ['a', 'b', 'c', undefined, undefined]) outbox.add((seq) => `msg ${seq}`, sid);
    // Gone: 1 a, 2 b (closed before it left), 3 c.
    expect(outbox.lostBy(1).sort()).toEqual(['a', 'c']);
    outbox.forget('a');
    expect(outbox.lostBy(1)).toEqual(['c']);
    // The log itself is unchanged: only who lost something is forgotten.
    expect(outbox.since(1)).toEqual({ payloads: ['msg 4', 'msg 5'], lost: 3 });
  });
});

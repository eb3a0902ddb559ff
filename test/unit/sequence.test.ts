import { createSequence, type Sequence } from '../../ws-server/sequence.js';

const event = (v: number) => ({ v, frame: Buffer.from(`{"v":${v}}`) });
const versions = (events: { v: number }[]) => events.map((e) => e.v);

/** What `accept` delivers for this event, in order. */
function accept(s: Sequence, e: { v: number; frame: Buffer }): { v: number; frame: Buffer }[] {
  const out: { v: number; frame: Buffer }[] = [];
  s.accept('game:x', { v: e.v }, e.frame, (room, ev, frame) => {
    expect(room).toBe('game:x');
    out.push({ v: ev.v, frame });
  });
  return out;
}

test('events in order pass straight through; a repeat is dropped', () => {
  const s = createSequence();
  expect(versions(accept(s, event(4)))).toEqual([4]);
  expect(versions(accept(s, event(5)))).toEqual([5]);
  expect(accept(s, event(5))).toEqual([]);
  expect(accept(s, event(3))).toEqual([]);
  expect(s.last).toBe(5);
  expect(s.waiting).toBe(false);
});

test('an event past a gap waits for the missing ones, then all go out in order', () => {
  const s = createSequence();
  s.reached(10);
  expect(accept(s, event(13))).toEqual([]);
  expect(accept(s, event(12))).toEqual([]);
  expect(s.waiting).toBe(true);
  expect(s.parkedVersions.sort()).toEqual([12, 13]);
  expect(versions(accept(s, event(11)))).toEqual([11, 12, 13]);
  expect(s.waiting).toBe(false);
  expect(s.last).toBe(13);
});

test('a parked frame is a copy: the buffer Redis read into may be reused', () => {
  const s = createSequence();
  s.reached(0);
  const frame = Buffer.from('{"v":2}');
  accept(s, { v: 2, frame });
  frame.fill(0);
  const out = accept(s, event(1));
  expect(out[1].frame.toString()).toBe('{"v":2}');
});

test('a join answer starts a room that has seen no event, and no other', () => {
  const s = createSequence();
  s.reached(7);
  expect(s.last).toBe(7);
  s.reached(9);
  expect(s.last).toBe(7);
  expect(accept(s, event(9))).toEqual([]);
  expect(s.waiting).toBe(true);
});

test('restart gives up on the gap and goes on from the given version', () => {
  const s = createSequence();
  s.reached(1);
  accept(s, event(5));
  s.restart(5);
  expect(s.waiting).toBe(false);
  expect(versions(accept(s, event(6)))).toEqual([6]);
});

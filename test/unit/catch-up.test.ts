import type { Audience } from '../../protocol/core-out.js';
import type { Role } from '../../ws-server/audience.js';
import { catchUp } from '../../ws-server/catch-up.js';
import { createHistory } from '../../ws-server/history.js';

const state = (v: number) => Buffer.from(`{"t":"state","v":${v}}`);
const full = (v: number) => `{"t":"move","v":${v}}`;
const skip = (v: number) => `{"v":${v}}`;
const RESYNC = '{"t":"resync"}';

/** A history of events `from`..`to`; `audiences` picks who sees version v (default everyone). */
function historyOf(from: number, to: number, audiences: Record<number, Audience> = {}) {
  const history = createHistory();
  for (let v = from; v <= to; v++) history.add({ v, to: audiences[v], frame: Buffer.from(full(v)) });
  return history;
}

const run = (o: { role?: Role; stateV?: number; asked?: number; history?: ReturnType<typeof createHistory> }) =>
  catchUp({
    role: o.role ?? 'white',
    state: state(o.stateV ?? 0),
    stateV: o.stateV,
    asked: o.asked,
    history: o.history,
  })?.map(String);

describe('catch-up on open', () => {
  test('without ?v: the state, then what the history holds after it', () => {
    expect(run({ stateV: 5, history: historyOf(1, 7) })).toEqual([String(state(5)), full(6), full(7)]);
    expect(run({ stateV: 5, history: historyOf(1, 5) })).toEqual([String(state(5))]);
    expect(run({ stateV: 5, history: createHistory() })).toEqual([String(state(5))]);
  });

  test('without ?v: the state first even when the history holds all the versions before it', () => {
    expect(run({ stateV: 3, history: historyOf(1, 5) })).toEqual([String(state(3)), full(4), full(5)]);
  });

  test('events are filtered for the role: in full, or the version alone', () => {
    const history = historyOf(1, 4, { 2: 'players', 3: 'white', 4: 'spectators' });
    expect(run({ role: 'white', stateV: 0, history })).toEqual([String(state(0)), full(1), full(2), full(3), skip(4)]);
    expect(run({ role: 'black', stateV: 0, history })).toEqual([String(state(0)), full(1), full(2), skip(3), skip(4)]);
    expect(run({ role: 'spectators', stateV: 0, history })).toEqual([
      String(state(0)),
      full(1),
      skip(2),
      skip(3),
      full(4),
    ]);
  });

  test('with ?v inside the history: the missed events only, no state', () => {
    expect(run({ stateV: 9, asked: 6, history: historyOf(1, 9) })).toEqual([full(7), full(8), full(9)]);
    // Events that came after the join answer count too.
    expect(run({ stateV: 7, asked: 6, history: historyOf(1, 9) })).toEqual([full(7), full(8), full(9)]);
  });

  test('with ?v at the latest version: nothing to send', () => {
    expect(run({ stateV: 9, asked: 9, history: historyOf(1, 9) })).toEqual([]);
    expect(run({ stateV: 9, asked: 9, history: createHistory() })).toEqual([]);
  });

  test('with ?v older than the history: resync, the state, the history after it', () => {
    expect(run({ stateV: 30, asked: 2, history: historyOf(11, 31) })).toEqual([RESYNC, String(state(30)), full(31)]);
  });

  test('with ?v ahead of anything known: resync and the state', () => {
    expect(run({ stateV: 9, asked: 12, history: historyOf(1, 9) })).toEqual([RESYNC, String(state(9))]);
    expect(run({ stateV: 9, asked: 10, history: createHistory() })).toEqual([RESYNC, String(state(9))]);
  });

  test('with ?v behind a state the history does not reach: resync', () => {
    // The history stops at 4 but lila-core's state is at 9: versions 5..9 are not here.
    expect(run({ stateV: 9, asked: 3, history: historyOf(1, 4) })).toEqual([RESYNC, String(state(9))]);
    expect(run({ stateV: 9, asked: 4, history: historyOf(1, 4) })).toEqual([RESYNC, String(state(9))]);
  });

  test('a hole between the state and the history: nothing contiguous can be sent', () => {
    expect(run({ stateV: 3, history: historyOf(10, 12) })).toBeUndefined();
    expect(run({ stateV: 3, asked: 1, history: historyOf(10, 12) })).toBeUndefined();
  });

  test('a state without a version: the state alone, as before', () => {
    expect(run({ asked: 2, history: historyOf(1, 5) })).toEqual([String(state(0))]);
  });
});

import { clocksInSeconds, initialClock, punch, timeLeft, type ClockState } from '../../lila-core/game/clock.js';
import type { ClockConfig } from '../../protocol/game.js';

const config: ClockConfig = { limit: 180, increment: 2 }; // 3+2
const T0 = 1_700_000_000_000;
const NO_LAG = { white: 0, black: 0 };

/** Punches that must succeed. */
function punchOk(clock: ClockState, mover: 'white' | 'black', ply: number, now: number): ClockState {
  const p = punch(clock, config, mover, ply, now);
  if (p === 'flagged') throw new Error(`unexpected flag of ${mover} at ply ${ply}`);
  return p;
}

describe('initialClock', () => {
  test('both sides get the limit in ms; the clock does not run', () => {
    expect(initialClock(config)).toEqual({
      remaining: { white: 180_000, black: 180_000 },
      runningSince: null,
      lagQuota: { white: 450, black: 450 },
    });
    expect(initialClock({ limit: 0, increment: 3 })).toMatchObject({
      remaining: { white: 0, black: 0 },
      runningSince: null,
    });
  });
});

describe('timeLeft', () => {
  const running: ClockState = { remaining: { white: 10_000, black: 20_000 }, runningSince: T0, lagQuota: NO_LAG };

  test('the side to move loses the time elapsed since the clock started', () => {
    expect(timeLeft(running, 'white', 'white', T0 + 2_500)).toBe(7_500);
  });

  test('the side not to move keeps its time', () => {
    expect(timeLeft(running, 'black', 'white', T0 + 2_500)).toBe(20_000);
  });

  test('may go negative (flag detection relies on it)', () => {
    expect(timeLeft(running, 'white', 'white', T0 + 12_000)).toBe(-2_000);
  });

  test('nothing runs while runningSince is null', () => {
    const stopped: ClockState = { ...running, runningSince: null };
    expect(timeLeft(stopped, 'white', 'white', T0 + 99_000)).toBe(10_000);
  });
});

describe('punch', () => {
  test('white’s first move: no time spent, still not running, no increment', () => {
    const clock = punchOk(initialClock(config), 'white', 0, T0 + 30_000);
    expect(clock).toMatchObject({ remaining: { white: 180_000, black: 180_000 }, runningSince: null });
  });

  test('black’s first move: no time spent, no increment, and white’s clock starts now', () => {
    const afterWhite = punchOk(initialClock(config), 'white', 0, T0);
    const clock = punchOk(afterWhite, 'black', 1, T0 + 45_000);
    expect(clock).toMatchObject({ remaining: { white: 180_000, black: 180_000 }, runningSince: T0 + 45_000 });
  });

  test('from the second move on: elapsed time is taken, the increment added, the opponent’s clock starts', () => {
    let clock = punchOk(initialClock(config), 'white', 0, T0);
    clock = punchOk(clock, 'black', 1, T0 + 1_000);
    clock = punchOk(clock, 'white', 2, T0 + 6_000); // white thought 5 s
    expect(clock).toMatchObject({ remaining: { white: 177_000, black: 180_000 }, runningSince: T0 + 6_000 });
    clock = punchOk(clock, 'black', 3, T0 + 16_000); // black thought 10 s
    expect(clock).toMatchObject({ remaining: { white: 177_000, black: 172_000 }, runningSince: T0 + 16_000 });
  });

  test('a fast mover gains time from the increment', () => {
    const clock: ClockState = { remaining: { white: 5_000, black: 5_000 }, runningSince: T0, lagQuota: NO_LAG };
    expect(punchOk(clock, 'white', 10, T0 + 500).remaining.white).toBe(6_500);
  });

  test('a move after the time ran out flags, even by 1 ms', () => {
    const clock: ClockState = { remaining: { white: 3_000, black: 9_000 }, runningSince: T0, lagQuota: NO_LAG };
    expect(punch(clock, config, 'white', 10, T0 + 3_001)).toBe('flagged');
  });

  test('a move exactly when the time reaches zero flags', () => {
    const clock: ClockState = { remaining: { white: 3_000, black: 9_000 }, runningSince: T0, lagQuota: NO_LAG };
    expect(punch(clock, config, 'white', 10, T0 + 3_000)).toBe('flagged');
  });

  test('a move 1 ms before zero is in time, and gets its increment', () => {
    const clock: ClockState = { remaining: { white: 3_000, black: 9_000 }, runningSince: T0, lagQuota: NO_LAG };
    expect(punch(clock, config, 'white', 10, T0 + 2_999)).toMatchObject({
      remaining: { white: 2_001, black: 9_000 },
      runningSince: T0 + 2_999,
    });
  });

  test('the first two moves never flag, however late', () => {
    const zero: ClockState = initialClock({ limit: 0, increment: 1 });
    const afterWhite = punch(zero, { limit: 0, increment: 1 }, 'white', 0, T0 + 3_600_000);
    expect(afterWhite).not.toBe('flagged');
    if (afterWhite === 'flagged') return;
    expect(punch(afterWhite, { limit: 0, increment: 1 }, 'black', 1, T0 + 7_200_000)).not.toBe('flagged');
  });

  test('does not modify the clock it is given', () => {
    const clock: ClockState = { remaining: { white: 3_000, black: 9_000 }, runningSince: T0, lagQuota: NO_LAG };
    punch(clock, config, 'white', 10, T0 + 1_000);
    expect(clock).toMatchObject({ remaining: { white: 3_000, black: 9_000 }, runningSince: T0, lagQuota: NO_LAG });
  });
});

describe('clocksInSeconds', () => {
  const clock: ClockState = { remaining: { white: 61_234, black: 59_996 }, runningSince: T0, lagQuota: NO_LAG };

  test('seconds with centisecond precision; the side to move runs', () => {
    expect(clocksInSeconds(clock, 'black', T0)).toEqual({ white: 61.23, black: 60 });
    expect(clocksInSeconds(clock, 'white', T0 + 1_000)).toEqual({ white: 60.23, black: 60 });
    expect(clocksInSeconds(clock, 'black', T0 + 10_005)).toEqual({ white: 61.23, black: 49.99 });
  });

  test('never negative', () => {
    expect(clocksInSeconds(clock, 'white', T0 + 100_000)).toEqual({ white: 0, black: 60 });
  });

  test('a stopped clock reads the same at any time', () => {
    const stopped = { ...clock, runningSince: null };
    expect(clocksInSeconds(stopped, 'white', T0 + 100_000)).toEqual({ white: 61.23, black: 60 });
  });
});

describe('lag compensation', () => {
  const quota = (white: number): ClockState => ({
    remaining: { white: 10_000, black: 10_000 },
    runningSince: T0,
    lagQuota: { white, black: 450 },
  });
  const punched = (clock: ClockState, now: number, lag: number) => {
    const p = punch(clock, config, 'white', 10, now, lag);
    if (p === 'flagged') throw new Error('flagged');
    return p;
  };

  test('the reported lag is refunded up to the quota, and the quota refills by 150 + 0.4 × lag', () => {
    // 3 s spent, 200 ms lag reported, 450 ms quota: 200 refunded; quota 450 − 200 + 230.
    expect(punched(quota(450), T0 + 3_000, 200)).toMatchObject({
      remaining: { white: 10_000 - 3_000 + 200 + 2_000 },
      lagQuota: { white: 480 },
    });
  });

  test('a refund never exceeds the quota, nor the time spent', () => {
    expect(punched(quota(300), T0 + 3_000, 5_000).remaining.white).toBe(10_000 - 3_000 + 300 + 2_000);
    expect(punched(quota(7_000), T0 + 100, 5_000).remaining.white).toBe(10_000 + 2_000);
  });

  test('the quota is capped at 7 × the gain, and a gain at 1 s', () => {
    expect(punched(quota(7_000), T0 + 3_000, 0).lagQuota.white).toBe(7 * 150);
    expect(punched(quota(0), T0 + 3_000, 60_000).lagQuota.white).toBe(1_000);
  });

  test('compensation can save a move that arrived after the flag', () => {
    const clock = quota(450);
    expect(punch(clock, config, 'white', 10, T0 + 10_100, 0)).toBe('flagged');
    expect(punch(clock, config, 'white', 10, T0 + 10_100, 300)).not.toBe('flagged');
  });
});

describe('think time ends when the relay received the move (issue #13)', () => {
  const running: ClockState = { remaining: { white: 10_000, black: 10_000 }, runningSince: T0, lagQuota: NO_LAG };

  test('time the move then spent queued is not charged: the mover pays to `movedAt`, the opponent starts at `now`', () => {
    // Received 2 s into white's turn, handled 1.5 s later, behind a flood.
    const after = punch(running, config, 'white', 10, T0 + 3_500, 0, T0 + 2_000);
    expect(after).toEqual({
      remaining: { white: 10_000 - 2_000 + 2_000, black: 10_000 },
      runningSince: T0 + 3_500,
      lagQuota: { white: 150, black: 0 },
    });
  });

  test('a move received before the flag is in time, however late it is handled', () => {
    expect(punch(running, config, 'white', 10, T0 + 12_000, 0, T0 + 9_999)).not.toBe('flagged');
    expect(punch(running, config, 'white', 10, T0 + 12_000, 0, T0 + 10_000)).toBe('flagged');
  });

  test('a move received before its turn began (sent blind, or a relay clock behind) costs nothing, never less', () => {
    expect(punch(running, config, 'white', 10, T0 + 500, 0, T0 - 400)).toMatchObject({
      remaining: { white: 10_000 + 2_000 },
    });
  });

  test('without `movedAt`, time is taken at `now`, as before', () => {
    expect(punch(running, config, 'white', 10, T0 + 3_000)).toEqual(
      punch(running, config, 'white', 10, T0 + 3_000, 0, T0 + 3_000),
    );
  });
});

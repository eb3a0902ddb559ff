import {
  admit,
  ERROR_EVERY_MS,
  FLOOD,
  kindOf,
  LIMITS,
  newLimits,
  scaledLimits,
  type Kind,
  type SocketLimits,
  type Verdict,
} from '../../ws-server/rate-limit.js';

const T0 = 1_700_000_000_000;

/** Sends `count` frames of `kind` at `at`, `every` ms apart: the verdicts, in order. */
function send(limits: SocketLimits, kind: Kind, count: number, at: number, every = 0): Verdict[] {
  return Array.from({ length: count }, (_, i) => admit(limits, kind, at + i * every));
}
const tally = (verdicts: Verdict[]) =>
  verdicts.reduce<Record<string, number>>((n, v) => ({ ...n, [v]: (n[v] ?? 0) + 1 }), {});

describe('kinds', () => {
  test('moves, chat, and everything else (refused frames included)', () => {
    expect(kindOf('move')).toBe('move');
    expect(kindOf('talk')).toBe('chat');
    expect(kindOf('clock')).toBe('other');
    expect(kindOf('seek')).toBe('other');
    expect(kindOf(undefined)).toBe('other');
  });
});

describe('sizes', () => {
  test('each kind passes its burst at once, and drops the next frame', () => {
    for (const kind of ['move', 'chat', 'other'] as const) {
      const limits = newLimits(T0);
      expect(tally(send(limits, kind, LIMITS[kind].burst, T0))).toEqual({ pass: LIMITS[kind].burst });
      expect(admit(limits, kind, T0)).toBe('drop-and-tell');
    }
  });

  test('the kinds are separate: a socket out of chat can still move and ask the clock', () => {
    const limits = newLimits(T0);
    send(limits, 'chat', LIMITS.chat.burst, T0);
    expect(admit(limits, 'chat', T0)).toBe('drop-and-tell');
    expect(admit(limits, 'move', T0)).toBe('pass');
    expect(admit(limits, 'other', T0)).toBe('pass');
  });

  test('a bucket refills at its rate, up to its burst and no more', () => {
    const limits = newLimits(T0);
    send(limits, 'other', LIMITS.other.burst, T0);
    expect(admit(limits, 'other', T0)).not.toBe('pass');
    // One token comes back after 1 / perSecond seconds.
    const oneToken = Math.ceil(1000 / LIMITS.other.perSecond);
    expect(admit(limits, 'other', T0 + oneToken)).toBe('pass');
    expect(admit(limits, 'other', T0 + oneToken)).not.toBe('pass');
    // An hour idle gives back the burst, not an hour's worth.
    const later = T0 + 3_600_000;
    expect(tally(send(limits, 'other', LIMITS.other.burst + 1, later))).toEqual({
      pass: LIMITS.other.burst,
      'drop-and-tell': 1,
    });
  });

  test('a wall clock set back refills nothing, and does not break the bucket', () => {
    const limits = newLimits(T0);
    send(limits, 'chat', LIMITS.chat.burst, T0);
    expect(admit(limits, 'chat', T0 - 60_000)).not.toBe('pass');
    expect(admit(limits, 'chat', T0 - 60_000 + Math.ceil(1000 / LIMITS.chat.perSecond))).toBe('pass');
  });
});

describe('RATE_LIMIT_FACTOR', () => {
  test('scales every burst and refill: a factor of 10 lets ten times the burst through', () => {
    const sizes = scaledLimits(10);
    expect(sizes.move).toEqual({ burst: LIMITS.move.burst * 10, perSecond: LIMITS.move.perSecond * 10 });
    const limits = newLimits(T0);
    expect(tally(Array.from({ length: LIMITS.other.burst * 10 + 1 }, () => admit(limits, 'other', T0, sizes)))).toEqual(
      {
        pass: LIMITS.other.burst * 10,
        'drop-and-tell': 1,
      },
    );
  });
});

describe('no person meets them', () => {
  test('a premove-heavy 1/4+0 game: 100 moves in 15 s, in runs of 10 premoves 30 ms apart, is never limited', () => {
    const limits = newLimits(T0);
    const verdicts: Verdict[] = [];
    // Ten runs of ten premoves, one every 30 ms (the fastest round trip), a second and a half apart.
    for (let run = 0; run < 10; run++) verdicts.push(...send(limits, 'move', 10, T0 + run * 1500, 30));
    expect(tally(verdicts)).toEqual({ pass: 100 });
  });

  test('premoves on every move of a long game: 300 moves, one every 70 ms (faster than any round trip on the internet), are never limited', () => {
    const limits = newLimits(T0);
    expect(tally(send(limits, 'move', 300, T0, 70))).toEqual({ pass: 300 });
  });

  test('a reconnect resending its pending moves on top of a premove run is never limited', () => {
    const limits = newLimits(T0);
    expect(tally(send(limits, 'move', 40, T0, 30))).toEqual({ pass: 40 });
    expect(tally(send(limits, 'move', 20, T0 + 40 * 30))).toEqual({ pass: 20 });
  });

  test('chat typed as fast as anyone types: ten lines at once, then a line every 1.1 s for ten minutes', () => {
    const limits = newLimits(T0);
    expect(tally(send(limits, 'chat', 10, T0, 300))).toEqual({ pass: 10 });
    expect(tally(send(limits, 'chat', 545, T0 + 3000, 1100))).toEqual({ pass: 545 });
  });

  test('buttons clicked frantically: 8 a second for 5 seconds, then 2 a second for a minute', () => {
    const limits = newLimits(T0);
    expect(tally(send(limits, 'other', 40, T0, 125))).toEqual({ pass: 40 });
    expect(tally(send(limits, 'other', 120, T0 + 5000, 500))).toEqual({ pass: 120 });
  });
});

describe('floods', () => {
  test('past the limit, frames are dropped with one error a second, and the socket is closed after FLOOD.burst drops', () => {
    const limits = newLimits(T0);
    const verdicts = send(limits, 'other', 10_000, T0, 0.1);
    const passed = LIMITS.other.burst;
    // The burst passes, then drops (the refill over the flood's few ms is a fraction of a token).
    expect(verdicts.slice(0, passed)).toEqual(Array(passed).fill('pass'));
    expect(verdicts[passed]).toBe('drop-and-tell');
    const firstClose = verdicts.indexOf('close');
    expect(firstClose).toBe(passed + FLOOD.burst);
    expect(verdicts.slice(passed + 1, firstClose)).toEqual(Array(FLOOD.burst - 1).fill('drop'));
  });

  test('errors are told at most once per ERROR_EVERY_MS', () => {
    const limits = newLimits(T0);
    send(limits, 'chat', LIMITS.chat.burst, T0);
    // Over the limit for 10 s at 1.5 a second: about one frame in three passes (1 a second refills).
    const verdicts = send(limits, 'chat', 15, T0, 666);
    const told = verdicts.map((v, i) => (v === 'drop-and-tell' ? T0 + i * 666 : undefined)).filter((t) => t);
    expect(told.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < told.length; i++) expect(told[i]! - told[i - 1]!).toBeGreaterThanOrEqual(ERROR_EVERY_MS);
    expect(verdicts).not.toContain('close');
  });

  test('a client a little over a limit now and then is never closed: drops are forgiven at FLOOD.perSecond', () => {
    const limits = newLimits(T0);
    // Two chat lines a second for ten minutes: one a second passes, one is dropped.
    const verdicts = send(limits, 'chat', 1200 + LIMITS.chat.burst, T0, 500);
    expect(verdicts).not.toContain('close');
    expect(verdicts.filter((v) => v === 'pass').length).toBeGreaterThanOrEqual(600);
  });

  test('a socket stays closable: once the flood bucket is empty, every further dropped frame says close', () => {
    const limits = newLimits(T0);
    const verdicts = send(limits, 'move', LIMITS.move.burst + FLOOD.burst + 5, T0);
    expect(verdicts.slice(-5)).toEqual(Array(5).fill('close'));
  });
});

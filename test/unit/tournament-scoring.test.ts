import { berserk } from '../../lila-core/game/berserk.js';
import { newGame, type Game } from '../../lila-core/game/game.js';
import { move } from '../../lila-core/game/play.js';
import { performanceOf, sheetOf, type Outcome } from '../../lila-core/tournament/scoring.js';

/** Arena scoring (lila's rules, README Tournaments): table-driven. */

const o = (result: Outcome['result'], plies = 40, berserk = false): Outcome => ({ game: 'g', result, plies, berserk });
const W = o('win');
const D = o('draw');
const L = o('loss');

describe('arena scoring', () => {
  test.each<[string, Outcome[], boolean, number[], boolean[], boolean]>([
    // name, results, streaks, points per game, on fire per game, on fire after
    ['win 2, draw 1, loss 0', [W, D, L], true, [2, 1, 0], [false, false, false], false],
    ['two wins in a row: the third win counts 4', [W, W, W], true, [2, 2, 4], [false, false, true], true],
    [
      'on fire a draw counts 2 and ends the streak',
      [W, W, D, W],
      true,
      [2, 2, 2, 2],
      [false, false, true, false],
      false,
    ],
    ['a loss ends the streak', [W, W, W, L, W], true, [2, 2, 4, 0, 2], [false, false, true, true, false], false],
    ['without streaks nobody is on fire', [W, W, W, D], false, [2, 2, 2, 1], [false, false, false, false], false],
    ['a draw in fewer than 20 plies scores 0', [o('draw', 19), o('draw', 20)], true, [0, 1], [false, false], false],
    ['a short draw on fire scores 0 too', [W, W, o('draw', 10)], true, [2, 2, 0], [false, false, true], false],
    [
      'a berserk win after 14 plies scores 1 more',
      [o('win', 14, true), o('win', 13, true)],
      true,
      [3, 2],
      [false, false],
      true,
    ],
    [
      'the berserk bonus comes on top of the fire',
      [W, W, o('win', 30, true)],
      true,
      [2, 2, 5],
      [false, false, true],
      true,
    ],
    [
      'a berserk loss or draw scores no bonus',
      [o('loss', 30, true), o('draw', 30, true)],
      true,
      [0, 1],
      [false, false],
      false,
    ],
  ])('%s', (_name, outcomes, streaks, points, fire, fireAfter) => {
    const sheet = sheetOf(outcomes, streaks);
    expect(sheet.entries.map((e) => e.p)).toEqual(points);
    expect(sheet.entries.map((e) => e.fire)).toEqual(fire);
    expect(sheet.score).toBe(points.reduce((a, b) => a + b, 0));
    expect(sheet.fire).toBe(fireAfter);
  });

  test('performance: opponents average plus 500 per net win, per game', () => {
    expect(performanceOf([])).toBeUndefined();
    expect(
      performanceOf([
        { result: 'win', opponentRating: 1500 },
        { result: 'loss', opponentRating: 1700 },
        { result: 'draw', opponentRating: 1600 },
      ]),
    ).toBe(1600);
  });
});

describe('berserk', () => {
  const players = { white: { id: 'w', name: 'W' }, black: { id: 'b', name: 'B' } };
  const arena = (limit: number, increment: number, berserkable = true): Game =>
    newGame('g1', players, { limit, increment }, 0, undefined, { id: 't1', berserkable });
  const ok = (t: ReturnType<typeof berserk>) => {
    if (!t.ok) throw new Error(t.message);
    return t.value;
  };

  test.each<[string, number, number, number]>([
    // name, limit, increment, remaining ms after
    ['3+0: half the time', 180, 0, 90_000],
    ['1+2: no change in time (base under 40 × increment), increment gone', 60, 2, 60_000],
    ['5+3: half the time', 300, 3, 150_000],
  ])('%s', (_name, limit, increment, after) => {
    const change = ok(berserk(arena(limit, increment), 'w', 0));
    expect(change.game.clock.remaining).toEqual({ white: after, black: limit * 1000 });
    expect(change.game.berserk).toEqual({ white: true });
    expect(change.events[0]?.frame).toEqual({
      t: 'berserk',
      v: 1,
      d: { color: 'white', clock: { white: after / 1000, black: limit } },
    });
  });

  test('the berserk player gets no increment; the other still does', () => {
    let game = ok(berserk(arena(60, 2), 'b', 0)).game;
    for (const [uci, at] of [
      ['e2e4', 1_000],
      ['e7e5', 2_000],
      ['g1f3', 3_000],
      ['b8c6', 5_000],
    ] as const) {
      const t = move(game, game.position.turn === 'white' ? 'w' : 'b', uci, at);
      if (!t.ok) throw new Error(t.message);
      game = t.value.game;
    }
    // Clocks run from black's first move, and first moves earn nothing. White: 60 s − 1 s + 2 s on
    // its second move; black, berserk: 60 s − 2 s and no increment (58 s, not 60 s).
    expect(game.clock.remaining).toEqual({ white: 61_000, black: 58_000 });
  });

  test.each<[string, string[], 'w' | 'b', string]>([
    ['not after its own first move (white)', ['e2e4'], 'w', 'not_allowed_now'],
    ['not after two plies (black)', ['e2e4', 'e7e5'], 'b', 'not_allowed_now'],
  ])('%s', (_name, ucis, who, code) => {
    let game = arena(180, 0);
    for (const [i, uci] of ucis.entries()) {
      const t = move(game, i % 2 ? 'b' : 'w', uci, i * 1000);
      if (!t.ok) throw new Error(t.message);
      game = t.value.game;
    }
    expect(berserk(game, who, 5_000)).toMatchObject({ ok: false, code });
  });

  test('black may berserk after white moved; twice is refused; not outside a berserkable tournament', () => {
    const t = move(arena(180, 0), 'w', 'e2e4', 0);
    if (!t.ok) throw new Error(t.message);
    const once = ok(berserk(t.value.game, 'b', 1_000)).game;
    expect(berserk(once, 'b', 1_000)).toMatchObject({ ok: false, code: 'not_allowed_now' });
    expect(berserk(arena(180, 0, false), 'w', 0)).toMatchObject({ ok: false, code: 'not_allowed_here' });
    expect(berserk(newGame('g2', players, { limit: 180, increment: 0 }, 0), 'w', 0)).toMatchObject({
      ok: false,
      code: 'not_allowed_here',
    });
    expect(berserk(arena(180, 0), 'x', 0)).toMatchObject({ ok: false, code: 'not_your_game' });
  });
});

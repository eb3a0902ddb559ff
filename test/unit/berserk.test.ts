import { berserk } from '../../lila-core/game/berserk.js';
import { newGame, type Game, type Transition } from '../../lila-core/game/game.js';
import { move } from '../../lila-core/game/play.js';

/** Berserk's refusals, and both sides going berserk (tournament-scoring.test.ts has the clocks). */

const players = { white: { id: 'w', name: 'W' }, black: { id: 'b', name: 'B' } };
const arena = (): Game =>
  newGame('g1', players, { limit: 180, increment: 0 }, 0, undefined, { id: 't1', berserkable: true });

const accepted = (t: Transition) => {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return t.value;
};

const played = (game: Game, ucis: string[]) =>
  ucis.reduce((g, uci, i) => accepted(move(g, i % 2 ? 'b' : 'w', uci, (i + 1) * 1000)).game, game);

test('black may go berserk before white has moved', () => {
  const change = accepted(berserk(arena(), 'b', 500));
  expect(change.game.berserk).toEqual({ black: true });
  expect(change.game.clock.remaining).toEqual({ white: 180_000, black: 90_000 });
  expect(change.events.map((e) => e.frame)).toEqual([
    { t: 'berserk', v: 1, d: { color: 'black', clock: { white: 180, black: 90 } } },
  ]);
});

test('both sides may go berserk, each once: the second keeps the first', () => {
  const white = accepted(berserk(arena(), 'w', 0)).game;
  const both = accepted(berserk(white, 'b', 0)).game;
  expect(both.berserk).toEqual({ white: true, black: true });
  expect(both.clock.remaining).toEqual({ white: 90_000, black: 90_000 });
  expect(berserk(both, 'w', 0)).toEqual({ ok: false, code: 'not_allowed_now', message: 'you are already berserk' });
});

test('the berserk event carries both clocks as they run at that time', () => {
  // After white's first move black's clock does not run yet (clocks run from ply 2).
  const game = played(arena(), ['e2e4']);
  const change = accepted(berserk(game, 'b', 60_000));
  expect(change.events[0]?.frame).toEqual({
    t: 'berserk',
    v: 2,
    d: { color: 'black', clock: { white: 180, black: 90 } },
  });
});

test('each refusal says why', () => {
  expect(berserk(played(arena(), ['e2e4']), 'w', 2_000)).toEqual({
    ok: false,
    code: 'not_allowed_now',
    message: 'berserk is only possible before your first move',
  });
  expect(berserk(played(arena(), ['e2e4', 'e7e5']), 'b', 3_000)).toEqual({
    ok: false,
    code: 'not_allowed_now',
    message: 'berserk is only possible before your first move',
  });
  const casual = newGame('g2', players, { limit: 180, increment: 0 }, 0);
  expect(berserk(casual, 'w', 0)).toEqual({
    ok: false,
    code: 'not_allowed_here',
    message: 'berserk is for tournament games that allow it',
  });
  expect(berserk(arena(), null, 0)).toMatchObject({ ok: false, code: 'not_your_game' });
});

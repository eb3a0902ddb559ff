import { goBerserk, initialClock, speedOf } from '../../lila-core/game/clock.js';
import { newGame, toJson, type Transition } from '../../lila-core/game/game.js';
import { abort, claimOutOfTime, forceEnd, move, resign } from '../../lila-core/game/play.js';
import { BLACK, newGame as fresh, WHITE } from './fixtures.js';

/** What each refusal of play.ts and game.ts tells the player; speed boundaries; toJson's extra keys. */

const T0 = fresh().createdAt;
const refusal = (t: Transition) => (t.ok ? 'accepted' : `${t.code}: ${t.message}`);
const accepted = (t: Transition) => {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return t.value.game;
};

test('refusals say why', () => {
  const game = fresh();
  expect(refusal(move(game, BLACK.id, 'e7e5', T0))).toBe('not_your_turn: it is not your turn');
  const opened = accepted(move(accepted(move(game, WHITE.id, 'e2e4', T0)), BLACK.id, 'e7e5', T0));
  expect(refusal(abort(opened, WHITE.id, T0))).toBe(
    'not_allowed_now: a game can be aborted only before each side has moved',
  );
  expect(refusal(claimOutOfTime(opened, BLACK.id, T0 + 1_000))).toBe('not_allowed_now: no clock has run out');
  expect(refusal(forceEnd(opened, WHITE.id, 'win', false, T0))).toBe('not_allowed_now: your opponent is not gone');
  const over = accepted(resign(opened, WHITE.id, T0));
  expect(refusal(resign(over, BLACK.id, T0))).toBe('game_over: the game is over (resign)');
  expect(refusal(resign(game, 'carol', T0))).toBe('not_your_game: you do not play this game');
});

test('speed boundaries: 30 s is bullet, 480 s rapid, 1500 s classical (limit + 40 × increment)', () => {
  expect(speedOf({ limit: 29, increment: 0 })).toBe('ultraBullet');
  expect(speedOf({ limit: 30, increment: 0 })).toBe('bullet');
  expect(speedOf({ limit: 480, increment: 0 })).toBe('rapid');
  expect(speedOf({ limit: 1500, increment: 0 })).toBe('classical');
});

test("a tournament game's JSON names its tournament and its berserk sides", () => {
  const players = { white: WHITE, black: BLACK };
  const game = newGame('g1', players, { limit: 180, increment: 0 }, 0, undefined, { id: 't1', berserkable: true });
  expect(toJson({ ...game, berserk: { black: true } }, 0)).toMatchObject({
    tournament: 't1',
    berserk: { black: true },
  });
  expect(toJson(game, 0)).not.toHaveProperty('berserk');
  expect(toJson(fresh(), 0)).not.toHaveProperty('tournament');
});

test('berserk halves the time when the base is exactly 40 × increment (only under it does the time stay)', () => {
  const config = { limit: 80, increment: 2 };
  expect(goBerserk(initialClock(config), config, 'white').remaining).toEqual({ white: 40_000, black: 80_000 });
});

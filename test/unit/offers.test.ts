import { turnOf, type Game, type Transition } from '../../lila-core/game/game.js';
import {
  drawNo,
  drawYes,
  rematchNo,
  rematchYes,
  rematchStarted,
  takebackNo,
  takebackYes,
} from '../../lila-core/game/offers.js';
import { move, resign } from '../../lila-core/game/play.js';
import { BLACK, newGame, WHITE } from './fixtures.js';

/**
 * Offers (offers.ts) beyond rules.test.ts: what each refusal tells the player, the takeback
 * back-off's arithmetic and cap, and what a takeback does to the clock and a pending draw offer.
 */

const T0 = newGame().createdAt;

const accepted = (t: Transition) => {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return t.value;
};

const refusal = (t: Transition) => (t.ok ? 'accepted' : `${t.code}: ${t.message}`);

const RUY = ['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5'];
/** The game with the Ruy Lopez played on to `plies`, each move one second after T0 + its ply. */
const played = (plies: number, game = newGame()): Game =>
  RUY.slice(game.moves.length, plies).reduce((g, uci) => {
    const mover = turnOf(g) === 'white' ? WHITE.id : BLACK.id;
    return accepted(move(g, mover, uci, T0 + (g.moves.length + 1) * 1_000)).game;
  }, game);

describe('draw offers', () => {
  test('refusals say why', () => {
    expect(refusal(drawYes(played(1), BLACK.id, T0))).toBe(
      'not_allowed_now: no draw offers before each side has moved; abort instead',
    );
    const offered = accepted(drawYes(played(2), WHITE.id, T0)).game;
    const declined = accepted(drawNo(offered, BLACK.id)).game;
    expect(refusal(drawYes(declined, WHITE.id, T0))).toBe('not_allowed_now: one draw offer per 20 plies');
    expect(refusal(drawNo(played(2), WHITE.id))).toBe('not_allowed_now: there is no draw offer');
  });

  test('an offer is remembered per side: the other side’s ply stays', () => {
    const white = accepted(drawYes(played(2), WHITE.id, T0)).game;
    const declined = accepted(drawNo(white, BLACK.id)).game;
    const moved = played(3, declined);
    const black = accepted(drawYes(moved, BLACK.id, T0)).game;
    expect(black.offers.drawOfferedAt).toEqual({ white: 2, black: 3 });
    expect(black.offers.draw).toBe('black');
  });
});

describe('takebacks', () => {
  test("black's proposal is told as black's", () => {
    const t = accepted(takebackYes(played(4), BLACK.id, T0 + 5_000));
    expect(t.events.map((e) => e.frame.d)).toEqual([{ white: false, black: true }]);
  });

  test('refusals say why', () => {
    expect(refusal(takebackYes(played(1), BLACK.id, T0))).toBe('not_allowed_now: you have no move to take back');
    expect(refusal(takebackNo(played(3), BLACK.id, T0))).toBe('not_allowed_now: there is no takeback proposal');
  });

  test('after a decline, the wait is told in whole seconds, rounded up; none is left at the time', () => {
    const proposed = accepted(takebackYes(played(3), WHITE.id, T0 + 5_000)).game;
    const declined = accepted(takebackNo(proposed, BLACK.id, T0 + 10_000)).game;
    expect(declined.offers).toMatchObject({ takebackDeclines: 1, takebackAllowedAt: T0 + 20_000 });
    expect(refusal(takebackYes(declined, WHITE.id, T0 + 10_500))).toBe(
      'not_allowed_now: takebacks were declined; wait 10 s',
    );
    expect(refusal(takebackYes(declined, WHITE.id, T0 + 18_500))).toBe(
      'not_allowed_now: takebacks were declined; wait 2 s',
    );
    expect(refusal(takebackYes(declined, WHITE.id, T0 + 19_999))).toBe(
      'not_allowed_now: takebacks were declined; wait 1 s',
    );
    expect(refusal(takebackYes(declined, WHITE.id, T0 + 20_000))).toBe('accepted');
  });

  test('withdrawing counts no decline and keeps the time allowed', () => {
    const base = played(3);
    const game = { ...base, offers: { ...base.offers, takebackDeclines: 2, takebackAllowedAt: T0 + 1_000 } };
    const proposed = accepted(takebackYes(game, WHITE.id, T0 + 5_000)).game;
    const withdrawn = accepted(takebackNo(proposed, WHITE.id, T0 + 6_000)).game;
    expect(withdrawn.offers).toMatchObject({ takeback: null, takebackDeclines: 2, takebackAllowedAt: T0 + 1_000 });
  });

  test('the back-off grows with the square of the declines, up to 10 of them (1000 s)', () => {
    const withDeclines = (declines: number) => {
      const base = played(3);
      const game = { ...base, offers: { ...base.offers, takebackDeclines: declines } };
      const proposed = accepted(takebackYes(game, WHITE.id, T0 + 5_000)).game;
      return accepted(takebackNo(proposed, BLACK.id, T0 + 10_000)).game.offers;
    };
    expect(withDeclines(2)).toMatchObject({ takebackDeclines: 3, takebackAllowedAt: T0 + 10_000 + 90_000 });
    expect(withDeclines(9)).toMatchObject({ takebackDeclines: 10, takebackAllowedAt: T0 + 10_000 + 1_000_000 });
    expect(withDeclines(10)).toMatchObject({ takebackDeclines: 11, takebackAllowedAt: T0 + 10_000 + 1_000_000 });
  });

  test('back to two plies: the clock runs from the takeback', () => {
    const proposed = accepted(takebackYes(played(3), WHITE.id, T0 + 5_000)).game;
    const back = accepted(takebackYes(proposed, BLACK.id, T0 + 6_000)).game;
    expect(back.moves).toEqual(RUY.slice(0, 2));
    expect(back.clock.runningSince).toBe(T0 + 6_000);
    expect(back.lastMoveAt).toBe(T0 + 6_000);
    expect(back.lastMoveFrom).toEqual({});
  });

  test('a pending draw offer lapses with the takeback, and everyone is told', () => {
    const drawn = accepted(drawYes(played(3), BLACK.id, T0 + 4_000)).game;
    const proposed = accepted(takebackYes(drawn, WHITE.id, T0 + 5_000)).game;
    const back = accepted(takebackYes(proposed, BLACK.id, T0 + 6_000));
    expect(back.events.map((e) => e.frame)).toMatchObject([
      { t: 'reload', v: proposed.v + 1 },
      { t: 'drawOffer', v: proposed.v + 2, d: { by: null } },
    ]);
    expect(back.game.offers).toMatchObject({ draw: null, takeback: null });
  });
});

describe('rematches', () => {
  const finished = () => accepted(resign(played(2), BLACK.id, T0 + 5_000)).game;

  test('refusals say why', () => {
    expect(refusal(rematchYes(finished(), 'carol'))).toBe('not_your_game: you do not play this game');
    expect(refusal(rematchNo(finished(), 'carol'))).toBe('not_your_game: you do not play this game');
    expect(refusal(rematchYes(played(2), WHITE.id))).toBe('not_allowed_now: the game is not over');
    expect(refusal(rematchNo(finished(), WHITE.id))).toBe('not_allowed_now: there is no rematch offer');
    const started = accepted(rematchStarted(finished(), 'Next1234')).game;
    expect(refusal(rematchYes(started, WHITE.id))).toBe('not_allowed_now: the rematch has already started');
  });
});

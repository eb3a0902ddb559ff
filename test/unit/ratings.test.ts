import { Glicko2 } from 'glicko2';
import { ratedSpeedOf } from '../../lila-core/game/clock.js';
import { newGame as createGame, type Game, type Transition } from '../../lila-core/game/game.js';
import { DEFAULT_GLICKO, MIN_RD, rateGame, ratingDiff, TAU, update, type Glicko } from '../../lila-core/game/glicko.js';
import { drawYes } from '../../lila-core/game/offers.js';
import { abort, move, resign } from '../../lila-core/game/play.js';
import { EndEvent } from '../../protocol/client-out.js';
import { BLACK, CLOCK, FOOLS_MATE, WHITE } from './fixtures.js';

/** Glicko-2 through the `glicko2` library: Glickman's worked example, then our per-game use of it. */

const T0 = Date.UTC(2024, 2, 9, 12, 0, 0);

/**
 * Glickman, "Example of the Glicko-2 system" (glicko.net/glicko/glicko2.pdf): a 1500/200/0.06
 * player beats a 1400/30, loses to a 1550/100 and to a 1700/300 in one period, with tau 0.5.
 * The paper rounds its intermediate steps; its answers are r' = 1464.06, RD' = 151.52, σ' = 0.05999.
 */
const PLAYER: Glicko = { rating: 1500, rd: 200, vol: 0.06 };
const OPPONENTS: [Glicko, number][] = [
  [{ rating: 1400, rd: 30, vol: 0.06 }, 1],
  [{ rating: 1550, rd: 100, vol: 0.06 }, 0],
  [{ rating: 1700, rd: 300, vol: 0.06 }, 0],
];

describe("Glickman's worked example", () => {
  test('the glicko2 library gives the published rating, deviation and volatility', () => {
    const system = new Glicko2({ tau: 0.5, rating: 1500, rd: 350, vol: 0.06 });
    const player = system.makePlayer(PLAYER.rating, PLAYER.rd, PLAYER.vol);
    system.updateRatings(OPPONENTS.map(([o, score]) => [player, system.makePlayer(o.rating, o.rd, o.vol), score]));
    expect(player.getRating()).toBeCloseTo(1464.06, 1);
    expect(player.getRd()).toBeCloseTo(151.52, 2);
    expect(player.getVol()).toBeCloseTo(0.05999, 4);
  });

  test('our update, given the same period and tau, gives the same', () => {
    const after = update(
      PLAYER,
      OPPONENTS.map(([opponent, score]) => ({ opponent, score })),
      0.5,
    );
    expect(after.rating).toBeCloseTo(1464.06, 1);
    expect(after.rd).toBeCloseTo(151.52, 2);
    expect(after.vol).toBeCloseTo(0.05999, 4);
  });
});

describe('one game, one rating period', () => {
  const NEW = DEFAULT_GLICKO;

  test('two new players, white wins: the values of Glicko-2 worked by hand with tau 0.75', () => {
    // μ = 0, φ = 350 / 173.7178 = 2.01476, g(φ) = 0.66907, E = 0.5, v = 8.9355;
    // φ' = 1 / √(1 / (φ² + σ²) + 1 / v) = 1.67122, μ' = ±φ'² · g · 0.5 = ±0.93435.
    const after = rateGame({ white: NEW, black: NEW }, 'white');
    expect(after.white.rating).toBeCloseTo(1662.31, 1);
    expect(after.black.rating).toBeCloseTo(1337.69, 1);
    expect(after.white.rd).toBeCloseTo(290.32, 1);
    expect(after.black.rd).toBeCloseTo(290.32, 1);
    expect(after.white.vol).toBeCloseTo(0.06, 4);
    expect(ratingDiff({ white: NEW, black: NEW }, after)).toEqual({ white: 162, black: -162 });
  });

  test('a draw between equals moves neither rating but makes both surer', () => {
    const after = rateGame({ white: NEW, black: NEW }, null);
    expect(after.white.rating).toBeCloseTo(1500, 6);
    expect(after.black.rating).toBeCloseTo(1500, 6);
    expect(after.white.rd).toBeLessThan(NEW.rd);
  });

  test('each side is rated against the other as it was before the game, as the library rates a one-game period', () => {
    const before = { white: { rating: 1800, rd: 60, vol: 0.06 }, black: { rating: 1400, rd: 80, vol: 0.059 } };
    const after = rateGame(before, 'black');
    for (const [me, them, score, got] of [
      [before.white, before.black, 0, after.white],
      [before.black, before.white, 1, after.black],
    ] as const) {
      const system = new Glicko2({ tau: TAU });
      const p = system.makePlayer(me.rating, me.rd, me.vol);
      system.updateRatings([[p, system.makePlayer(them.rating, them.rd, them.vol), score]]);
      expect(got).toEqual({ rating: p.getRating(), rd: p.getRd(), vol: p.getVol() });
    }
    // The upset costs the favourite more than a win would have brought it.
    expect(after.white.rating - before.white.rating).toBeLessThan(-15);
    expect(after.black.rating - before.black.rating).toBeGreaterThan(15);
  });

  test(`a deviation never falls below ${MIN_RD}`, () => {
    const sure = { rating: 2000, rd: 30, vol: 0.03 };
    expect(rateGame({ white: sure, black: sure }, 'white').white.rd).toBe(MIN_RD);
  });

  test('the diff is between rounded ratings, so that the old rating plus the diff is the new one on screen', () => {
    const before = { white: { ...NEW, rating: 1500.4 }, black: { ...NEW, rating: 1499.6 } };
    const after = { white: { ...NEW, rating: 1510.6 }, black: { ...NEW, rating: 1489.4 } };
    // 1500 → 1511 and 1500 → 1489, although each moved by 10.2.
    expect(ratingDiff(before, after)).toEqual({ white: 11, black: -11 });
  });
});

describe('speeds', () => {
  test.each([
    [{ limit: 15, increment: 0 }, 'bullet'], // ultraBullet counts as bullet
    [{ limit: 60, increment: 0 }, 'bullet'],
    [{ limit: 120, increment: 1 }, 'bullet'],
    [{ limit: 180, increment: 0 }, 'blitz'],
    [{ limit: 300, increment: 3 }, 'blitz'],
    [{ limit: 600, increment: 0 }, 'rapid'],
    [{ limit: 900, increment: 10 }, 'rapid'],
    [{ limit: 1800, increment: 0 }, 'classical'],
  ] as const)('%j is rated as %s', (clock, speed) => {
    expect(ratedSpeedOf(clock)).toBe(speed);
  });
});

describe('the end event', () => {
  const RATINGS = { white: { rating: 1600, rd: 80, vol: 0.06 }, black: { rating: 1550, rd: 120, vol: 0.06 } };
  const rated = () => createGame('AbCd1234', { white: WHITE, black: BLACK }, CLOCK, T0, RATINGS);
  const unrated = () => createGame('AbCd1234', { white: WHITE, black: BLACK }, CLOCK, T0);

  function play(game: Game, ucis: readonly string[]): Game {
    ucis.forEach((uci, i) => {
      const t = move(game, i % 2 === 0 ? WHITE.id : BLACK.id, uci, T0 + i * 1000);
      if (!t.ok) throw new Error(t.message);
      game = t.value.game;
    });
    return game;
  }
  function ended(t: Transition) {
    if (!t.ok) throw new Error(t.message);
    const end = t.value.events.at(-1)!.frame;
    expect(end.t).toBe('end');
    return { game: t.value.game, d: EndEvent.parse(end).d };
  }

  test('a rated game knows it is rated and carries its snapshot', () => {
    expect(rated()).toMatchObject({ rated: true, ratings: RATINGS });
    expect(unrated().rated).toBe(false);
    expect(unrated()).not.toHaveProperty('ratings');
  });

  test('mate in a rated game: ratingDiff from the snapshot, and the new ratings kept on the game', () => {
    const before = play(rated(), FOOLS_MATE.slice(0, 3));
    const { game, d } = ended(move(before, BLACK.id, FOOLS_MATE[3], T0 + 10_000));
    const after = rateGame(RATINGS, 'black');
    expect(game).toMatchObject({ status: 'mate', winner: 'black', ratingsAfter: after });
    expect(d.ratingDiff).toEqual(ratingDiff(RATINGS, after));
    expect(d.ratingDiff!.white).toBeLessThan(0);
    expect(d.ratingDiff!.black).toBeGreaterThan(0);
    expect(Object.keys(d)).toEqual(['winner', 'status', 'clock', 'ratingDiff']);
  });

  test('resign and draws in a rated game are rated too', () => {
    const resigned = ended(resign(play(rated(), ['e2e4', 'e7e5']), WHITE.id, T0 + 5000));
    expect(resigned.d.ratingDiff).toEqual(ratingDiff(RATINGS, rateGame(RATINGS, 'black')));
    const offered = drawYes(play(rated(), ['e2e4', 'e7e5']), WHITE.id, T0 + 5000);
    if (!offered.ok) throw new Error(offered.message);
    const drawn = ended(drawYes(offered.value.game, BLACK.id, T0 + 6000));
    expect(drawn.d.status).toBe('draw');
    // The lower rated side gains from a draw.
    expect(drawn.d.ratingDiff).toEqual(ratingDiff(RATINGS, rateGame(RATINGS, null)));
    expect(drawn.d.ratingDiff!.black).toBeGreaterThan(0);
  });

  test('an aborted rated game rates nobody', () => {
    const { game, d } = ended(abort(rated(), WHITE.id, T0 + 1000));
    expect(d.status).toBe('aborted');
    expect(d).not.toHaveProperty('ratingDiff');
    expect(game).not.toHaveProperty('ratingsAfter');
  });

  test('an unrated game ends with exactly the frame it always had: no ratingDiff key', () => {
    const { game, d } = ended(resign(play(unrated(), ['e2e4', 'e7e5']), WHITE.id, T0 + 5000));
    expect(Object.keys(d)).toEqual(['winner', 'status', 'clock']);
    expect(game).not.toHaveProperty('ratingsAfter');
  });
});

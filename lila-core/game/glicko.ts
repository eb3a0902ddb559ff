import { Glicko2 } from 'glicko2';
import type { Color } from '../../protocol/game.js';

/** A Glicko-2 rating: rating, rating deviation and volatility, on the usual 1500 scale. */
export type Glicko = { rating: number; rd: number; vol: number };
export type Pair<T> = { white: T; black: T };

/** A new player: Glickman's recommended start (lichess starts the deviation at 500). */
export const DEFAULT_GLICKO: Glicko = { rating: 1500, rd: 350, vol: 0.06 };
/** lichess's system constant: how fast volatility may change. */
export const TAU = 0.75;
/** lichess's floor: a deviation that kept shrinking would freeze a rating for good. */
export const MIN_RD = 45;

/** One result against one opponent: 1 a win, 0.5 a draw, 0 a loss. */
export type Result = { opponent: Glicko; score: number };

/**
 * `player`'s rating after one rating period with these results, through the `glicko2` library.
 * Opponents are taken as they were before the period, as Glicko-2 wants.
 */
export function update(player: Glicko, results: readonly Result[], tau = TAU): Glicko {
  const system = new Glicko2({ tau, ...DEFAULT_GLICKO });
  const me = system.makePlayer(player.rating, player.rd, player.vol);
  system.updateRatings(
    results.map(({ opponent, score }) => [me, system.makePlayer(opponent.rating, opponent.rd, opponent.vol), score]),
  );
  return { rating: me.getRating(), rd: Math.max(MIN_RD, me.getRd()), vol: me.getVol() };
}

/** Both players' ratings after one game, each game being its own rating period (as on lichess). */
export function rateGame(before: Pair<Glicko>, winner: Color | null): Pair<Glicko> {
  const white = winner === 'white' ? 1 : winner === 'black' ? 0 : 0.5;
  return {
    white: update(before.white, [{ opponent: before.black, score: white }]),
    black: update(before.black, [{ opponent: before.white, score: 1 - white }]),
  };
}

/** The change as players see it: between the rounded ratings, so that old + diff = new on screen. */
export const ratingDiff = (before: Pair<Glicko>, after: Pair<Glicko>): Pair<number> => ({
  white: Math.round(after.white.rating) - Math.round(before.white.rating),
  black: Math.round(after.black.rating) - Math.round(before.black.rating),
});

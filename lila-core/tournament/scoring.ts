import type { SheetEntry } from '../../protocol/http.js';

/** One finished tournament game from a player's side, in the order the games were played. */
export type Outcome = { game: string; result: SheetEntry['r']; plies: number; berserk: boolean };

/** A player's results in order, their score, and whether they are on fire now. */
export type Sheet = { entries: SheetEntry[]; score: number; fire: boolean };

/** Rule "a draw in fewer than 20 plies scores 0": a draw agreed at once earns nothing. */
export const SHORT_DRAW_PLIES = 20;
/** Rule "a berserk win after at least 14 plies scores 1 more". */
export const BERSERK_BONUS_PLIES = 14;

/**
 * Arena scoring, lichess's rules: win 2, draw 1, loss 0. With `streaks`, after two wins in a row a
 * player is on fire: a win counts 4 and a draw 2, until a result that is not a win (a draw, on
 * fire or not, ends the streak). A draw in fewer than 20 plies scores 0 (and ends the streak). A
 * berserk win after at least 14 plies scores 1 more, on top of the fire's double.
 */
export function sheetOf(outcomes: readonly Outcome[], streaks: boolean): Sheet {
  const entries: SheetEntry[] = [];
  let score = 0;
  let winsInRow = 0;
  for (const { game, result, plies, berserk } of outcomes) {
    const fire = streaks && winsInRow >= 2;
    const double = fire ? 2 : 1;
    let points = 0;
    if (result === 'win') points = 2 * double + (berserk && plies >= BERSERK_BONUS_PLIES ? 1 : 0);
    else if (result === 'draw') points = plies < SHORT_DRAW_PLIES ? 0 : double;
    winsInRow = result === 'win' ? winsInRow + 1 : 0;
    score += points;
    entries.push({ g: game, r: result, p: points, fire, berserk });
  }
  return { entries, score, fire: streaks && winsInRow >= 2 };
}

/**
 * Performance over a player's games: the average rating of their opponents plus 500 × (wins −
 * losses) / games (the linear performance rating), undefined before any game. Standings break
 * equal scores by it, else by rating.
 */
export function performanceOf(games: readonly { result: SheetEntry['r']; opponentRating: number }[]) {
  if (!games.length) return undefined;
  let sum = 0;
  for (const { result, opponentRating } of games)
    sum += opponentRating + (result === 'win' ? 500 : result === 'loss' ? -500 : 0);
  return Math.round(sum / games.length);
}

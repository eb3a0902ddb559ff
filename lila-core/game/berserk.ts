import { refuse } from '../result.js';
import { clocksInSeconds, goBerserk } from './clock.js';
import { changed, playable, turnOf, type Game, type Transition } from './game.js';

/**
 * Berserk, lichess's arena rule: in a tournament game that allows it, a player who has not yet made
 * their first move (fewer than 2 plies played) may give up half their time (clock.ts `goBerserk`)
 * and their increment, for one more point if they win after at least 14 plies
 * (tournament/scoring.ts). Once per player; the room hears `berserk` with both clocks.
 */
export function berserk(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  if (!game.tournament?.berserkable) return refuse('not_allowed_here', 'berserk is for tournament games that allow it');
  if (game.berserk?.[color]) return refuse('not_allowed_now', 'you are already berserk');
  const ownMoves = color === 'white' ? game.moves.length : game.moves.length - 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: from 2 plies on, ownMoves > 0 for either side anyway
  if (game.moves.length >= 2 || ownMoves > 0)
    return refuse('not_allowed_now', 'berserk is only possible before your first move');
  const clock = goBerserk(game.clock, game.clockConfig, color);
  const next: Game = { ...game, clock, berserk: { ...game.berserk, [color]: true } };
  return changed(next, [{ t: 'berserk', d: { color, clock: clocksInSeconds(clock, turnOf(next), now) } }]);
}

import type { Color } from '../../protocol/game.js';
import { playUci } from './chess.js';
import { clocksInSeconds, firstMoveLimitMs, flagAt, incrementOf, punch, timeLeft } from './clock.js';
import {
  changed,
  colorOf,
  end,
  isOver,
  opposite,
  playable,
  turnOf,
  unchanged,
  type Game,
  type MoveOrigin,
  type Transition,
  type Unstamped,
} from './game.js';
import { refuse } from '../result.js';
import { automaticDraw } from './repetition.js';

/** Playing, resigning, aborting and running out of time. */

/**
 * A move already played, sent again: the same ack id with the same move as the side's last one,
 * from any socket (the relay's resend, or the client's after reconnecting). Anything else is a new
 * move, played or refused: a lower ack id (a client that numbers afresh) is never acked unplayed.
 */
const sentAgain = (game: Game, color: Color, origin: MoveOrigin, uci: string) => {
  const last = game.lastMoveFrom[color];
  return last !== undefined && last.a === origin.a && last.u === uci;
};

/** Fewer than two plies: either side may still abort instead of playing. */
export const isAbortable = (game: Game): boolean => !isOver(game) && game.moves.length < 2;

/** `movedAt`: when the move reached its relay, the end of the mover's think time (clock.ts `punch`). */
export function move(
  game: Game,
  userId: string | null,
  uci: string,
  now: number,
  origin?: MoveOrigin,
  lag = 0,
  movedAt = now,
): Transition {
  const player = colorOf(game, userId);
  if (player && origin && sentAgain(game, player, origin, uci)) return unchanged(game);
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  if (color !== turnOf(game)) return refuse('not_your_turn', 'it is not your turn');

  const config = incrementOf(game.clockConfig, game.berserk?.[color] === true);
  const clockAfter = punch(game.clock, config, color, game.moves.length, now, lag, movedAt);
  if (clockAfter === 'flagged') return flag(game, now);
  const legal = playUci(game.position, uci);
  if (!legal.ok) return legal;
  const played = legal.value;

  const lastMoveFrom = { ...game.lastMoveFrom };
  if (origin) lastMoveFrom[color] = { ...origin, u: uci };
  else delete lastMoveFrom[color];
  const offers = game.offers;
  // A move declines the opponent's pending draw offer; one's own, made on one's turn, stands.
  const declined = offers.draw === opposite(color);
  const next: Game = {
    ...game,
    lastMoveFrom,
    clock: clockAfter,
    moves: [...game.moves, uci],
    sans: [...game.sans, played.san],
    clockHistory: [...game.clockHistory, clockAfter.remaining[color]],
    position: played.position,
    fen: played.fen,
    positions: [...game.positions, played.key],
    lastMoveAt: now,
    offers: { ...offers, draw: declined ? null : offers.draw, takeback: null },
  };
  const clock = clocksInSeconds(next.clock, turnOf(next), now);
  const events: Unstamped[] = [
    { t: 'move', d: { ply: next.moves.length, uci, san: played.san, fen: played.fen, clock } },
  ];
  if (declined) events.push({ t: 'drawOffer', d: { by: null } });
  if (offers.takeback) events.push({ t: 'takebackOffers', d: { white: false, black: false }, to: 'players' });
  if (played.ending) return end(next, played.ending, events, now);
  if (automaticDraw(next.positions, next.position.halfmoves))
    return end(next, { status: 'draw', winner: null }, events, now);
  return changed(next, events);
}

export function resign(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  return end(game, { status: 'resign', winner: opposite(color) }, [], now);
}

export function abort(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  if (!isAbortable(game)) return refuse('not_allowed_now', 'a game can be aborted only before each side has moved');
  return end(game, { status: 'aborted', winner: null }, [], now);
}

/** The side to move has run out: the opponent wins, or draws without mating material. */
function flag(game: Game, now: number): Transition {
  const loser = turnOf(game);
  const winner = game.position.hasInsufficientMaterial(opposite(loser)) ? null : opposite(loser);
  return end(game, { status: 'outoftime', winner }, [], now);
}

/** When `tick` must next look at this game: a flag, or a first move that never came. */
export function deadline(game: Game): number | null {
  if (isOver(game)) return null;
  if (game.moves.length < 2) return game.lastMoveAt + firstMoveLimitMs(game.clockConfig);
  return flagAt(game.clock, turnOf(game));
}

/** What time alone does to a game: flags the side to move, aborts a game never started. */
export function tick(game: Game, now: number): Transition {
  const due = deadline(game);
  if (due === null || now < due) return unchanged(game);
  if (game.moves.length < 2) return end(game, { status: 'aborted', winner: null }, [], now);
  return flag(game, now);
}

/** A client says a clock has run out: lila-core checks it with its own clock. */
export function claimOutOfTime(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const turn = turnOf(game);
  // Stryker disable next-line ConditionalExpression: a stopped clock's time is what was left, above 0 (punch flags at 0)
  if (game.clock.runningSince === null || timeLeft(game.clock, turn, turn, now) > 0)
    return refuse('not_allowed_now', 'no clock has run out');
  return flag(game, now);
}

/** Claims once the opponent is gone (the caller knows presence): a win, or a draw. */
export function forceEnd(
  game: Game,
  userId: string | null,
  how: 'win' | 'draw',
  gone: boolean,
  now: number,
): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  if (!gone) return refuse('not_allowed_now', 'your opponent is not gone');
  return end(game, how === 'win' ? { status: 'timeout', winner: color } : { status: 'draw', winner: null }, [], now);
}

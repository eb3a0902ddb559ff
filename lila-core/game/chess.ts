import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { makeSanAndPlay } from 'chessops/san';
import { parseUci } from 'chessops/util';
import type { Color, Status } from '../../protocol/game.js';
import { ok, refuse, type Result } from '../result.js';
import { keyOfFen, positionKey } from './repetition.js';

/** The rules, through chessops: pure functions over positions. */

/** How a game ended: its final status and winner (a domain value, not an answer to anyone). */
export type Ending = { status: Exclude<Status, 'started'>; winner: Color | null };

/**
 * A legal move, played: the position after it, its SAN and FEN, its repetition key
 * (repetition.ts), and the ending it brings, if any.
 */
export type PlayedMove = { position: Chess; san: string; fen: string; key: string; ending?: Ending };

/**
 * Plays `uci` on a copy of `position`; refused with `illegal_move` if it is not legal there. The
 * copy is played once (its SAN written on the way) and its FEN written once: this runs for every move.
 */
export function playUci(position: Chess, uci: string): Result<PlayedMove> {
  const move = parseUci(uci);
  if (!move || !position.isLegal(move)) return refuse('illegal_move', `${uci} is not a legal move here`);
  const next = position.clone();
  const san = makeSanAndPlay(next, move);
  const fen = makeFen(next.toSetup());
  return ok({ position: next, san, fen, key: keyOfFen(fen), ending: endingOf(next) });
}

/** How the game ends in this position without anyone's say, if it does. */
export function endingOf(position: Chess): Ending | undefined {
  const ctx = position.ctx();
  if (!position.hasDests(ctx)) {
    if (ctx.checkers.nonEmpty()) return { status: 'mate', winner: position.turn === 'white' ? 'black' : 'white' };
    return { status: 'stalemate', winner: null };
  }
  if (position.isInsufficientMaterial()) return { status: 'draw', winner: null };
  return undefined;
}

/** Replays a game's moves from the start: the position, each SAN, the FEN and repetition keys. */
export function replay(moves: readonly string[]): {
  position: Chess;
  sans: string[];
  fen: string;
  positions: string[];
} {
  let position = Chess.default();
  const sans: string[] = [];
  const positions = [positionKey(position)];
  for (const uci of moves) {
    const played = playUci(position, uci);
    if (!played.ok) throw new Error(`stored move ${uci} is illegal at ply ${sans.length + 1}`);
    position = played.value.position;
    sans.push(played.value.san);
    positions.push(played.value.key);
  }
  return { position, sans, fen: makeFen(position.toSetup()), positions };
}

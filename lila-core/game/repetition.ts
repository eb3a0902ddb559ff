import type { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';

/**
 * Repetition, which chessops does not track. Two positions are the same when the board, the side
 * to move, the castling rights and the en passant square that can really be taken all agree:
 * the FEN without its move counters (chessops writes only a legal en passant square).
 */
export const positionKey = (position: Chess): string => keyOfFen(makeFen(position.toSetup()));
/** The same key from the position's FEN, where it is at hand (a move writes it anyway). */
export const keyOfFen = (fen: string): string => fen.slice(0, fen.lastIndexOf(' ', fen.lastIndexOf(' ') - 1));

/**
 * How many times the latest position has occurred, among the last `window` positions at most: a
 * position from before the last capture or pawn move (the halfmove clock's reset) can never
 * recur, so the rules' draws look no further back than the clock, however long the game.
 */
export function occurrences(positions: readonly string[], window = positions.length): number {
  const last = positions[positions.length - 1];
  let n = 0;
  for (let i = Math.max(0, positions.length - window); i < positions.length; i++) if (positions[i] === last) n++;
  return n;
}

/** The positions since the last reset of the halfmove clock, the latest included. */
const sinceReset = (halfmoves: number): number => halfmoves + 1;

/** The rules' draws: threefold and fifty moves may be claimed; fivefold and 75 moves end the game. */
export const claimableDraw = (positions: readonly string[], halfmoves: number): boolean =>
  halfmoves >= 100 || occurrences(positions, sinceReset(halfmoves)) >= 3;
export const automaticDraw = (positions: readonly string[], halfmoves: number): boolean =>
  halfmoves >= 150 || occurrences(positions, sinceReset(halfmoves)) >= 5;

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

/** How many times the latest position has occurred. */
export function occurrences(positions: readonly string[]): number {
  const last = positions[positions.length - 1];
  let n = 0;
  for (const key of positions) if (key === last) n++;
  return n;
}

/** The rules' draws: threefold and fifty moves may be claimed; fivefold and 75 moves end the game. */
export const claimableDraw = (positions: readonly string[], halfmoves: number): boolean =>
  halfmoves >= 100 || occurrences(positions) >= 3;
export const automaticDraw = (positions: readonly string[], halfmoves: number): boolean =>
  halfmoves >= 150 || occurrences(positions) >= 5;

import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { makeSan } from 'chessops/san';
import { parseUci } from 'chessops/util';
import type { Color, Status } from '../../protocol/game.js';
import { positionKey } from './repetition.js';

/** The rules, through chessops: pure functions over positions. */

export type Outcome = { status: Exclude<Status, 'started'>; winner: Color | null };

export type Played =
  { ok: true; position: Chess; san: string; fen: string; outcome?: Outcome } | { ok: false; message: string };

/** Plays `uci` on a copy of `position`. */
export function playUci(position: Chess, uci: string): Played {
  const move = parseUci(uci);
  if (!move || !position.isLegal(move)) return { ok: false, message: `${uci} is not a legal move here` };
  const san = makeSan(position, move);
  const next = position.clone();
  next.play(move);
  return { ok: true, position: next, san, fen: makeFen(next.toSetup()), outcome: outcomeOf(next) };
}

/** How the game ends in this position without anyone's say, if it does. */
export function outcomeOf(position: Chess): Outcome | undefined {
  if (position.isCheckmate()) return { status: 'mate', winner: position.turn === 'white' ? 'black' : 'white' };
  if (position.isStalemate()) return { status: 'stalemate', winner: null };
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
    position = played.position;
    sans.push(played.san);
    positions.push(positionKey(position));
  }
  return { position, sans, fen: makeFen(position.toSetup()), positions };
}

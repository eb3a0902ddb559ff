import { Chess } from 'chessops/chess';
import { chessgroundDests } from 'chessops/compat';
import { makeFen, parseFen } from 'chessops/fen';
import { parseSan } from 'chessops/san';
import { makeUci, parseSquare, parseUci } from 'chessops/util';
import type { Color } from '../../../protocol/game.js';

/**
 * The rules as the board needs them, with chessops: legal destinations, check, promotions, and
 * the keyboard box's text read as a move. The server decides; these only keep the page from
 * offering what it would refuse.
 */
export type Position = Chess;

export function positionOf(fen: string): Position | null {
  const setup = parseFen(fen);
  if (setup.isErr) return null;
  const pos = Chess.fromSetup(setup.value);
  return pos.isErr ? null : pos.value;
}

/** Legal moves as chessground wants them: origin square → destination squares. */
export const destsOf = (pos: Position): Map<string, string[]> => chessgroundDests(pos);

export const turnColor = (pos: Position): Color => pos.turn;
export const inCheck = (pos: Position): boolean => pos.isCheck();

/** A pawn move from `orig` to `dest` onto the last rank: the player picks the piece. */
export function isPromotion(pos: Position, orig: string, dest: string): boolean {
  const from = parseSquare(orig);
  const to = parseSquare(dest);
  if (from === undefined || to === undefined) return false;
  const piece = pos.board.get(from);
  return piece?.role === 'pawn' && (to >> 3 === 7 || to >> 3 === 0);
}

export const PROMOTION_ROLES = ['queen', 'knight', 'rook', 'bishop'] as const;
export type PromotionRole = (typeof PROMOTION_ROLES)[number];
const ROLE_LETTER: Record<PromotionRole, string> = { queen: 'q', knight: 'n', rook: 'r', bishop: 'b' };

export const uciOf = (orig: string, dest: string, promotion?: PromotionRole): string =>
  orig + dest + (promotion ? ROLE_LETTER[promotion] : '');

/** A UCI move's two squares, for the board's last-move highlight. */
export const squaresOf = (uci: string): [string, string] => [uci.slice(0, 2), uci.slice(2, 4)];

export type Parsed = { uci: string } | { error: string };

/**
 * What the player typed, as a legal move: SAN (`e4`, `Nf3`, `exd5`, `O-O`, `e8=Q`, lenient about
 * case, `x`, `+`/`#`) or UCI (`e2e4`, `e7e8q`), as lichess's keyboard move accepts them.
 */
export function parseMoveInput(pos: Position, text: string): Parsed {
  const typed = text.trim().replace(/[+#!?]+$/, '');
  if (!typed) return { error: 'Type a move, like e4 or e2e4' };
  const asUci = /^[a-h][1-8][a-h][1-8][qrbnQRBN]?$/.test(typed) ? parseUci(typed.toLowerCase()) : undefined;
  if (asUci) {
    return pos.isLegal(asUci) ? { uci: makeUci(asUci) } : { error: `${typed} is not a legal move` };
  }
  for (const san of sanCandidates(typed)) {
    const move = parseSan(pos, san);
    if (move) return { uci: makeUci(move) };
  }
  return { error: `${typed} is not a legal move` };
}

/** The text as typed, then with its piece letter in capitals (`nf3` → `Nf3`) and castling in O's. */
function sanCandidates(typed: string): string[] {
  const castle = typed.replace(/0/g, 'O').replace(/o/g, 'O');
  const promoted = typed.replace(/=?([qrbn])$/i, (_, r: string) => `=${r.toUpperCase()}`);
  const piece = /^[nrqk]/.test(typed) ? typed[0].toUpperCase() + typed.slice(1) : null;
  // `b` is a pawn's file first (bxc3), a bishop's only if no pawn move reads so.
  const bishop = typed.startsWith('b') ? 'B' + typed.slice(1) : null;
  return [typed, promoted, castle, piece, bishop].filter((s): s is string => !!s);
}

/** The position after `uci`, as FEN: what the board shows while the server has not yet said. */
export function fenAfter(fen: string, uci: string): string | null {
  const pos = positionOf(fen);
  const move = parseUci(uci);
  if (!pos || !move || !pos.isLegal(move)) return null;
  pos.play(move);
  return makeFen(pos.toSetup());
}

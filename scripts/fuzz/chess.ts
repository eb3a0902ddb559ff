import { Chess } from 'chessops/chess';
import { parseSan } from 'chessops/san';
import { makeSquare, makeUci, parseUci, squareRank } from 'chessops/util';

/** The position after `moves` (UCI) from the start, or undefined if one of them is not legal. */
export function positionAfter(moves: readonly string[]): Chess | undefined {
  const position = Chess.default();
  for (const uci of moves) {
    const move = parseUci(uci);
    if (!move || !position.isLegal(move)) return undefined;
    position.play(move);
  }
  return position;
}

/** Every legal move of the position in UCI (castling as king to rook, as chessops writes it), in a stable order. */
export function legalUcis(position: Chess): string[] {
  const ucis: string[] = [];
  for (const [from, dests] of position.allDests()) {
    const pawn = position.board.get(from)?.role === 'pawn';
    for (const to of dests) {
      const base = makeSquare(from) + makeSquare(to);
      if (pawn && (squareRank(to) === 0 || squareRank(to) === 7)) for (const role of 'qrbn') ucis.push(base + role);
      else ucis.push(base);
    }
  }
  return ucis;
}

/** The UCI of a SAN move in the position, or undefined if it is not legal there. */
export function uciOfSan(position: Chess, san: string): string | undefined {
  const move = parseSan(position, san);
  return move && makeUci(move);
}

/** A small seeded generator (mulberry32): the bots' choices follow the run's seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { makeUci } from 'chessops/util';
import type { Move } from 'chessops/types';

/**
 * A legal line of `plies` moves (UCI) that ends nothing on its way: no mate, stalemate, or
 * insufficient material, no position seen three times (so never fivefold), and never 75 moves
 * without a capture or a pawn move. Random but reproducible: the same seed gives the same line.
 * For tests that need many moves in one game (lila-core ends a game on any of those by itself).
 */
export function longGame(plies: number, seed = 1): string[] {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const line = tryLine(plies, seed + attempt);
    if (line) return line;
  }
  throw new Error(`no line of ${plies} plies found`);
}

function tryLine(plies: number, seed: number): string[] | undefined {
  const random = mulberry32(seed);
  let position = Chess.default();
  const seen = new Map<string, number>();
  const line: string[] = [];
  while (line.length < plies) {
    const moves: Move[] = [];
    for (const [from, to] of position.allDests())
      for (const dest of to) {
        const lastRank = dest >> 3 === (position.turn === 'white' ? 7 : 0);
        const pawn = position.board.get(from)?.role === 'pawn';
        moves.push(pawn && lastRank ? { from, to: dest, promotion: 'queen' } : { from, to: dest });
      }
    const playable = moves
      .map((move) => {
        const after = position.clone();
        after.play(move);
        return { move, after, key: makeFen(after.toSetup()).split(' ').slice(0, 4).join(' ') };
      })
      .filter(
        ({ after, key }) =>
          !after.isEnd() && !after.isInsufficientMaterial() && after.halfmoves < 140 && (seen.get(key) ?? 0) < 2,
      );
    if (!playable.length) return undefined;
    const { move, after, key } = playable[Math.floor(random() * playable.length)];
    seen.set(key, (seen.get(key) ?? 0) + 1);
    line.push(makeUci(move));
    position = after;
  }
  return line;
}

/** A small seeded PRNG (mulberry32): reproducible lines without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

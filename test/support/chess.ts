import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import { parseSan } from 'chessops/san';
import { makeUci } from 'chessops/util';

/** An independent replay of a SAN line with chessops: each move's UCI and SAN, and the final FEN. */
export function sanLine(sans: string[]): { ucis: string[]; fen: string } {
  const position = Chess.default();
  const ucis = sans.map((san) => {
    const move = parseSan(position, san);
    if (!move) throw new Error(`${san} is not legal in ${makeFen(position.toSetup())}`);
    position.play(move);
    return makeUci(move);
  });
  return { ucis, fen: makeFen(position.toSetup()) };
}

/** Morphy v. Duke of Brunswick and Count Isouard, Paris 1858: ends in mate. */
export const OPERA_GAME =
  'e4 e5 Nf3 d6 d4 Bg4 dxe5 Bxf3 Qxf3 dxe5 Bc4 Nf6 Qb3 Qe7 Nc3 c6 Bg5 b5 Nxb5 cxb5 Bxb5+ Nbd7 O-O-O Rd8 Rxd7 Rxd7 Rd1 Qe6 Bxd7+ Nxd7 Qb8+ Nxb8 Rd8#'.split(
    ' ',
  );

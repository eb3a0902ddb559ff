import { Chess } from 'chessops/chess';
import { makeFen, parseFen } from 'chessops/fen';
import { parseSan } from 'chessops/san';
import { makeUci } from 'chessops/util';
import { newGame as createGame, type Game } from '../../lila-core/game/game.js';
import type { ClockState } from '../../lila-core/game/clock.js';
import { positionKey } from '../../lila-core/game/repetition.js';
import type { ClockConfig } from '../../protocol/game.js';

/** Shared helpers for the unit tests (not a test file itself). */

/**
 * A few real opening lines (eco, name, SAN movetext), copied from
 * /work/shared/data/openings/*.tsv (lichess chess-openings, CC0). Chosen for variety: both
 * castlings, captures, disambiguation (Nbd2, Ngf6, Rae8), and an en passant capture (B01).
 */
export const OPENINGS: readonly [eco: string, name: string, pgn: string][] = [
  ['A00', 'Amar Opening: Paris Gambit, Gent Gambit', '1. Nh3 d5 2. g3 e5 3. f4 Bxh3 4. Bxh3 exf4 5. O-O fxg3 6. hxg3'],
  ['B01', 'Scandinavian Defense: Boehnke Gambit', '1. e4 d5 2. exd5 e5 3. dxe6 Bxe6'],
  [
    'B19',
    'Caro-Kann Defense: Classical Variation, Lobron System',
    '1. e4 c6 2. d4 d5 3. Nd2 dxe4 4. Nxe4 Bf5 5. Ng3 Bg6 6. h4 h6 7. Nf3 Nd7 8. h5 Bh7 9. Bd3 Bxd3 10. Qxd3 e6 11. Bd2 Ngf6 12. O-O-O Be7',
  ],
  ['C00', 'French Defense: Alapin Gambit', '1. e4 e6 2. d4 d5 3. Be3'],
  [
    'C89',
    'Ruy Lopez: Marshall Attack, Main Line, Spassky Variation',
    '1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6 5. O-O Be7 6. Re1 b5 7. Bb3 O-O 8. c3 d5 9. exd5 Nxd5 10. Nxe5 Nxe5 11. Rxe5 c6 12. d4 Bd6 13. Re1 Qh4 14. g3 Qh3 15. Be3 Bg4 16. Qd3 Rae8 17. Nd2 Re6 18. a4 Qh5',
  ],
  [
    'D49',
    'Semi-Slav Defense: Meran Variation, Rellstab Attack',
    '1. d4 d5 2. c4 c6 3. Nc3 Nf6 4. Nf3 e6 5. e3 Nbd7 6. Bd3 dxc4 7. Bxc4 b5 8. Bd3 a6 9. e4 c5 10. e5 cxd4 11. Nxb5 Nxe5 12. Nxe5 axb5 13. O-O Qd5 14. Qe2 Ba6 15. Bg5',
  ],
  ['E00', 'Catalan Opening: Hungarian Gambit', '1. d4 Nf6 2. c4 e6 3. g3 e5'],
];

/** The SANs of a movetext like `1. e4 e5 2. Nf3`. */
export const sansOf = (movetext: string): string[] => movetext.split(/\s+/).filter((t) => t && !/^\d+\.$/.test(t));

/** Replays SANs with chessops alone: the UCI of each move and the final position. */
export function sanToUci(sans: readonly string[]): { ucis: string[]; position: Chess } {
  const position = Chess.default();
  const ucis: string[] = [];
  for (const san of sans) {
    const move = parseSan(position, san);
    if (!move) throw new Error(`fixture: ${san} is not legal after ${ucis.join(' ')}`);
    ucis.push(makeUci(move));
    position.play(move);
  }
  return { ucis, position };
}

/** 1. f3 e5 2. g4 Qh4#: black mates at ply 4. */
export const FOOLS_MATE = ['f2f3', 'e7e5', 'g2g4', 'd8h4'];

/** Sam Loyd's ten-move stalemate: 10. Qe6 leaves black without a legal move. */
export const LOYD_STALEMATE = sanToUci(
  sansOf(
    '1. e3 a5 2. Qh5 Ra6 3. Qxa5 h5 4. h4 Rah6 5. Qxc7 f6 6. Qxd7+ Kf7 7. Qxb7 Qd3 8. Qxb8 Qh7 9. Qxc8 Kg6 10. Qe6',
  ),
).ucis;

export const WHITE = { id: 'alice', name: 'Alice' };
export const BLACK = { id: 'bob', name: 'Bob' };
export const CLOCK: ClockConfig = { limit: 60, increment: 2 };

/** A fresh game, as lila-core creates one. */
export const newGame = (over: Partial<Game> = {}): Game => ({
  ...createGame('AbCd1234', { white: WHITE, black: BLACK }, CLOCK, Date.UTC(2024, 2, 9, 12, 0, 0)),
  ...over,
});

/** A game standing in `fen` (moves are not replayed: only the position and the clock matter). */
export function gameAt(
  fen: string,
  clock?: Omit<ClockState, 'lagQuota'> & Partial<ClockState>,
  over: Partial<Game> = {},
): Game {
  const position = Chess.fromSetup(parseFen(fen).unwrap()).unwrap();
  const lagQuota = { white: 0, black: 0 };
  return newGame({
    position,
    fen: makeFen(position.toSetup()),
    positions: [positionKey(position)],
    ...(clock ? { clock: { lagQuota, ...clock } } : {}),
    ...over,
  });
}

import { parseComment, parsePgn, startingPosition } from 'chessops/pgn';
import { parseSan } from 'chessops/san';
import { makeFen } from 'chessops/fen';
import { replay } from '../../lila-core/game/chess.js';
import { turnOf, type Game, type Transition } from '../../lila-core/game/game.js';
import { drawYes } from '../../lila-core/game/offers.js';
import { abort, forceEnd, move, tick } from '../../lila-core/game/play.js';
import { toPgn } from '../../lila-core/game/pgn.js';
import type { Status } from '../../protocol/game.js';
import { BLACK, FOOLS_MATE, LOYD_STALEMATE, newGame, OPENINGS, sansOf, sanToUci, WHITE } from './fixtures.js';

const SITE = 'https://chess.example';

/** A game whose moves are `ucis`, replayed for its SANs and position. */
function gameOf(ucis: readonly string[], over: Partial<Game> = {}): Game {
  const r = replay(ucis);
  return newGame({ moves: [...ucis], sans: r.sans, position: r.position, fen: r.fen, v: ucis.length, ...over });
}

/** Reads a PGN back with chessops: its single game's headers, mainline SANs and final FEN. */
function readBack(pgn: string) {
  const games = parsePgn(pgn);
  expect(games).toHaveLength(1);
  const game = games[0];
  const position = startingPosition(game.headers).unwrap();
  const sans: string[] = [];
  for (const node of game.moves.mainline()) {
    const move = parseSan(position, node.san);
    if (!move) throw new Error(`chessops cannot play ${node.san} after ${sans.join(' ')}`);
    position.play(move);
    sans.push(node.san);
  }
  return { headers: game.headers, sans, fen: makeFen(position.toSetup()) };
}

describe('toPgn', () => {
  test('the exact text of a short finished game', () => {
    const game = gameOf(FOOLS_MATE, { status: 'mate', winner: 'black' });
    expect(toPgn(game, SITE)).toBe(
      [
        '[Event "Casual game"]',
        '[Site "https://chess.example/AbCd1234"]',
        '[Date "2024.03.09"]',
        '[Round "-"]',
        '[White "Alice"]',
        '[Black "Bob"]',
        '[Result "0-1"]',
        '[TimeControl "60+2"]',
        '[Termination "Normal"]',
        '',
        '1. f3 e5 2. g4 Qh4# 0-1',
        '',
      ].join('\n'),
    );
  });

  test('the seven-tag roster comes first, in order', () => {
    const tags = [...toPgn(newGame(), SITE).matchAll(/^\[(\w+) /gm)].map((m) => m[1]);
    expect(tags.slice(0, 7)).toEqual(['Event', 'Site', 'Date', 'Round', 'White', 'Black', 'Result']);
  });

  test('the date is the UTC day of creation', () => {
    const pgn = toPgn(newGame({ createdAt: Date.UTC(2023, 11, 31, 23, 59, 59) }), SITE);
    expect(pgn).toContain('[Date "2023.12.31"]');
  });

  test('a game without moves: only the result', () => {
    const pgn = toPgn(newGame(), SITE);
    expect(pgn.endsWith('\n\n*\n')).toBe(true);
    expect(pgn).toContain('[Result "*"]');
    expect(pgn).toContain('[Termination "Unterminated"]');
  });

  test('an odd number of moves ends with the white move and the result', () => {
    const pgn = toPgn(gameOf(['e2e4', 'e7e5', 'g1f3'], { status: 'resign', winner: 'white' }), SITE);
    expect(pgn.endsWith('\n\n1. e4 e5 2. Nf3 1-0\n')).toBe(true);
  });

  test.each<[Status, Game['winner'], string, string]>([
    ['started', null, '*', 'Unterminated'],
    ['mate', 'white', '1-0', 'Normal'],
    ['mate', 'black', '0-1', 'Normal'],
    ['resign', 'black', '0-1', 'Normal'],
    ['stalemate', null, '1/2-1/2', 'Normal'],
    ['draw', null, '1/2-1/2', 'Normal'],
    ['outoftime', 'white', '1-0', 'Time forfeit'],
    ['outoftime', null, '1/2-1/2', 'Time forfeit'],
  ])('status %s, winner %s: Result %s, Termination %s', (status, winner, result, termination) => {
    const pgn = toPgn(gameOf(['e2e4'], { status, winner }), SITE);
    expect(pgn).toContain(`[Result "${result}"]`);
    expect(pgn).toContain(`[Termination "${termination}"]`);
    expect(pgn.trimEnd().endsWith(` ${result}`)).toBe(true);
  });

  // PGN standard §8.1.1.7: "*" is for a game in progress, result unknown, or game abandoned.
  test('an aborted game’s result is "*", not a draw', () => {
    const pgn = toPgn(gameOf(['e2e4'], { status: 'aborted', winner: null }), SITE);
    expect(pgn).toContain('[Termination "Abandoned"]');
    expect(pgn).toContain('[Result "*"]');
  });

  test('quotes and backslashes in names are escaped, and read back intact', () => {
    const game = newGame({
      players: { white: { id: 'w', name: 'Bob "The Rook" Smith' }, black: { id: 'b', name: 'C:\\chess' } },
    });
    const pgn = toPgn(game, SITE);
    expect(pgn).toContain('[White "Bob \\"The Rook\\" Smith"]');
    expect(pgn).toContain('[Black "C:\\\\chess"]');
    const { headers } = readBack(pgn);
    expect(headers.get('White')).toBe('Bob "The Rook" Smith');
    expect(headers.get('Black')).toBe('C:\\chess');
  });

  test('a long game: movetext lines stay within 79 characters and break between tokens', () => {
    // Knights out and back, 30 times: 120 plies.
    const ucis = Array.from({ length: 30 }, () => ['g1f3', 'g8f6', 'f3g1', 'f6g8']).flat();
    const game = gameOf(ucis);
    const pgn = toPgn(game, SITE);
    const movetext = pgn.split('\n\n')[1].trimEnd();
    const lines = movetext.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(79);
      expect(line).toBe(line.trim());
    }
    expect(movetext.replace(/\n/g, ' ')).toBe(
      [...game.sans.map((san, i) => (i % 2 === 0 ? `${i / 2 + 1}. ${san}` : san)), '*'].join(' '),
    );
    expect(readBack(pgn).sans).toEqual(game.sans);
  });
});

describe('chessops parsePgn reads toPgn back', () => {
  test.each(OPENINGS.map(([eco, name, pgn]) => [eco, name, pgn]))('%s %s', (_eco, _name, movetext) => {
    const sans = sansOf(movetext);
    const { ucis } = sanToUci(sans);
    const game = gameOf(ucis, { status: 'resign', winner: 'white' });
    const back = readBack(toPgn(game, SITE));
    expect(back.sans).toEqual(sans);
    expect(back.fen).toBe(game.fen);
    expect(back.headers.get('Result')).toBe('1-0');
    expect(back.headers.get('Site')).toBe(`${SITE}/AbCd1234`);
  });

  test('checks, mates, castling and promotion', () => {
    const promo = sanToUci(sansOf('1. e4 f5 2. exf5 g6 3. fxg6 Nf6 4. gxh7 Rg8 5. hxg8=Q')).ucis;
    for (const [ucis, status, winner] of [
      [FOOLS_MATE, 'mate', 'black'],
      [LOYD_STALEMATE, 'stalemate', null],
      [promo, 'resign', 'white'],
    ] as const) {
      const game = gameOf(ucis, { status, winner });
      const back = readBack(toPgn(game, SITE));
      expect(back.sans).toEqual(game.sans);
      expect(back.fen).toBe(game.fen);
    }
    expect(gameOf(promo).sans.at(-1)).toBe('hxg8=Q');
  });
});

describe('clocks, numbering and terminations of games as played', () => {
  const T0 = newGame().createdAt;

  function ok(t: Transition): Game {
    if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
    return t.value.game;
  }

  /** Plays [uci, time] pairs by whoever is on turn. */
  function play(game: Game, moves: readonly (readonly [string, number])[]): Game {
    for (const [uci, now] of moves) game = ok(move(game, turnOf(game) === 'white' ? WHITE.id : BLACK.id, uci, now));
    return game;
  }

  /** The movetext on one line. */
  const movetextOf = (pgn: string) => pgn.split('\n\n')[1].trimEnd().replace(/\n/g, ' ');

  /** 60+2: the first two moves are free; then white thinks 3 s, black 10.5 s. */
  const OPENING = [
    ['e2e4', T0],
    ['e7e5', T0 + 1_000],
    ['g1f3', T0 + 4_000],
    ['b8c6', T0 + 14_500],
  ] as const;

  test('a clock comment after each move, and black’s moves numbered again after a comment', () => {
    const game = play(newGame(), OPENING);
    expect(game.clockHistory).toEqual([60_000, 60_000, 59_000, 51_500]);
    expect(movetextOf(toPgn(game, SITE))).toBe(
      '1. e4 { [%clk 0:01:00] } 1... e5 { [%clk 0:01:00] } 2. Nf3 { [%clk 0:00:59] } 2... Nc6 { [%clk 0:00:51] } *',
    );
  });

  test('chessops reads the moves and the clocks back', () => {
    const game = play(newGame(), OPENING);
    const [parsed] = parsePgn(toPgn(game, SITE));
    const nodes = [...parsed.moves.mainline()];
    expect(nodes.map((n) => n.san)).toEqual(['e4', 'e5', 'Nf3', 'Nc6']);
    expect(nodes.map((n) => parseComment(n.comments!.join(' ')).clock)).toEqual([60, 60, 59, 51]);
  });

  test('[%clk] is h:mm:ss, whole seconds rounded down', () => {
    const ucis = ['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5'];
    const game = gameOf(ucis, { clockHistory: [5_400_000, 3_599_999, 36_000_000, 999, 61_000] });
    const clocks = [...toPgn(game, SITE).matchAll(/\[%clk ([^\]]+)\]/g)].map((m) => m[1]);
    expect(clocks).toEqual(['1:30:00', '0:59:59', '10:00:00', '0:00:00', '0:01:01']);
  });

  test('lost on time: Termination "Time forfeit", and the winner’s result', () => {
    const game = play(newGame(), OPENING.slice(0, 3)); // black's clock runs from T0 + 4000
    const flagged = ok(tick(game, T0 + 4_000 + 60_000));
    expect(flagged.status).toBe('outoftime');
    const pgn = toPgn(flagged, SITE);
    expect(pgn).toContain('[Termination "Time forfeit"]');
    expect(pgn).toContain('[Result "1-0"]');
    expect(movetextOf(pgn)).toBe('1. e4 { [%clk 0:01:00] } 1... e5 { [%clk 0:01:00] } 2. Nf3 { [%clk 0:00:59] } 1-0');
  });

  test('aborted: Termination "Abandoned", Result "*"', () => {
    const aborted = ok(abort(play(newGame(), OPENING.slice(0, 1)), BLACK.id, T0 + 5_000));
    const pgn = toPgn(aborted, SITE);
    expect(pgn).toContain('[Termination "Abandoned"]');
    expect(pgn).toContain('[Result "*"]');
    expect(movetextOf(pgn)).toBe('1. e4 { [%clk 0:01:00] } *');
  });

  test.each([
    ['white', '1-0'],
    ['black', '0-1'],
  ] as const)('the opponent left and %s claimed the win: Termination "Abandoned", Result %s', (color, result) => {
    const game = play(newGame(), OPENING);
    const claimed = ok(forceEnd(game, color === 'white' ? WHITE.id : BLACK.id, 'win', true, T0 + 20_000));
    expect(claimed).toMatchObject({ status: 'timeout', winner: color });
    const pgn = toPgn(claimed, SITE);
    expect(pgn).toContain('[Termination "Abandoned"]');
    expect(pgn).toContain(`[Result "${result}"]`);
  });

  test('a draw by agreement: Termination "Normal", Result "1/2-1/2"', () => {
    let game = play(newGame(), OPENING);
    game = ok(drawYes(game, WHITE.id, T0 + 15_000));
    game = ok(drawYes(game, BLACK.id, T0 + 16_000));
    const pgn = toPgn(game, SITE);
    expect(pgn).toContain('[Termination "Normal"]');
    expect(pgn).toContain('[Result "1/2-1/2"]');
    expect(readBack(pgn).headers.get('Result')).toBe('1/2-1/2');
  });
});

import { Chess } from 'chessops/chess';
import { parseFen } from 'chessops/fen';
import { playUci, replay } from '../../lila-core/game/chess.js';
import { automaticDraw, claimableDraw, keyOfFen, occurrences, positionKey } from '../../lila-core/game/repetition.js';
import { sansOf, sanToUci } from './fixtures.js';

const at = (fen: string): Chess => Chess.fromSetup(parseFen(fen).unwrap()).unwrap();

/** The position after playing `ucis` from `fen`. */
function after(fen: string, ...ucis: string[]): Chess {
  let position = at(fen);
  for (const uci of ucis) {
    const played = playUci(position, uci);
    if (!played.ok) throw new Error(played.message);
    position = played.value.position;
  }
  return position;
}

const keyAfter = (movetext: string) => replay(sanToUci(sansOf(movetext)).ucis).positions.at(-1)!;

describe('positionKey', () => {
  test('the initial position: board, side to move, castling, no en passant square, no counters', () => {
    expect(positionKey(Chess.default())).toBe('rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq -');
  });

  test('ignores the move counters', () => {
    const a = at('4k3/8/8/8/8/8/4P3/R3K3 w Q - 0 1');
    const b = at('4k3/8/8/8/8/8/4P3/R3K3 w Q - 37 80');
    expect(positionKey(a)).toBe(positionKey(b));
    expect(positionKey(a)).toBe('4k3/8/8/8/8/8/4P3/R3K3 w Q -');
  });

  test('the side to move counts', () => {
    expect(positionKey(at('4k3/8/8/8/8/8/4P3/4K3 w - - 0 1'))).not.toBe(
      positionKey(at('4k3/8/8/8/8/8/4P3/4K3 b - - 0 1')),
    );
  });

  test('castling rights count: kings out and back are not the same position', () => {
    const before = keyAfter('1. e4 e5');
    const back = keyAfter('1. e4 e5 2. Ke2 Ke7 3. Ke1 Ke8');
    expect(back.split(' ')[0]).toBe(before.split(' ')[0]);
    expect(back).not.toBe(before);
    expect(back).toBe('rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w - -');
  });

  test('after 1. e4 no black pawn can take en passant: no en passant square', () => {
    const key = keyAfter('1. e4');
    expect(key).toBe('rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq -');
    // the same board reached by knights out and back has the same key
    expect(keyAfter('1. e4 Nf6 2. Nf3 Ng8 3. Ng1')).toBe(key);
  });

  test('an en passant square that can be taken counts', () => {
    const key = keyAfter('1. e4 Nf6 2. e5 d5');
    expect(key).toBe('rnbqkb1r/ppp1pppp/5n2/3pP3/8/8/PPPP1PPP/RNBQKBNR w KQkq d6');
    // the same board a move pair later, when the capture is no longer possible: another position
    const later = keyAfter('1. e4 Nf6 2. e5 d5 3. Nf3 Nc6 4. Ng1 Nb8');
    expect(later.split(' ')[0]).toBe(key.split(' ')[0]);
    expect(later).toBe('rnbqkb1r/ppp1pppp/5n2/3pP3/8/8/PPPP1PPP/RNBQKBNR w KQkq -');
  });

  test('an en passant capture that would expose the king does not count', () => {
    // white: Ka5, Pb5; black: Kd1, Pc7, and a rook on h5 that would check a5 once b5 and c5 both left the rank
    const pinned = after('8/2p5/8/KP5r/8/8/8/3k4 b - - 0 1', 'c7c5');
    expect(positionKey(pinned)).toBe('8/8/8/KPp4r/8/8/8/3k4 w - -');
    const free = after('8/2p5/8/KP6/8/8/8/3k4 b - - 0 1', 'c7c5');
    expect(positionKey(free)).toBe('8/8/8/KPp5/8/8/8/3k4 w - c6');
  });
});

describe('occurrences', () => {
  test('counts the latest position among all, wherever they are', () => {
    expect(occurrences(['a'])).toBe(1);
    expect(occurrences(['a', 'b', 'a', 'b', 'a'])).toBe(3);
    expect(occurrences(['a', 'b', 'a', 'b'])).toBe(2);
    expect(occurrences(['x', 'a', 'y', 'a', 'z', 'b', 'a'])).toBe(3);
    expect(occurrences([])).toBe(0);
  });

  test('knights out and back: the initial position recurs every four plies', () => {
    const knights = sanToUci(sansOf('1. Nf3 Nf6 2. Ng1 Ng8')).ucis;
    const { positions } = replay([...knights, ...knights]);
    expect(positions).toHaveLength(9);
    expect(occurrences(positions)).toBe(3);
    expect(occurrences(positions.slice(0, 8))).toBe(2); // after Ng1: the position after 2. Ng1 again
    expect(occurrences(positions.slice(0, 4))).toBe(1);
  });
});

describe('draw thresholds', () => {
  const times = (n: number) =>
    Array.from({ length: n }, (_, i) => ['p', `q${i}`])
      .flat()
      .concat('p');

  test.each([
    [1, false, false],
    [2, false, false],
    [3, true, false],
    [4, true, false],
    [5, true, true],
    [6, true, true],
  ])('a position seen %i times: claimable %s, automatic %s', (n, claimable, automatic) => {
    const positions = times(n - 1);
    expect(occurrences(positions)).toBe(n);
    // No capture nor pawn move among them: the halfmove clock counts every move since the first.
    const halfmoves = positions.length - 1;
    expect(claimableDraw(positions, halfmoves)).toBe(claimable);
    expect(automaticDraw(positions, halfmoves)).toBe(automatic);
  });

  test.each([
    [0, false, false],
    [99, false, false],
    [100, true, false],
    [149, true, false],
    [150, true, true],
  ])('halfmove clock %i: claimable %s, automatic %s', (halfmoves, claimable, automatic) => {
    expect(claimableDraw(['p'], halfmoves)).toBe(claimable);
    expect(automaticDraw(['p'], halfmoves)).toBe(automatic);
  });
});

describe('keyOfFen', () => {
  test('is the FEN without its two move counters, as positionKey writes it from the position', () => {
    const fens = [
      'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1',
      'rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3',
      '8/8/8/4k3/8/8/4K3/8 b - - 37 120',
    ];
    for (const fen of fens) {
      expect(keyOfFen(fen)).toBe(fen.split(' ', 4).join(' '));
      expect(positionKey(at(fen))).toBe(keyOfFen(fen));
    }
  });

  test('a played move carries the key of the position it leads to', () => {
    const played = playUci(at('rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1'), 'e2e4');
    if (!played.ok) throw new Error(played.message);
    expect(played.value.key).toBe(positionKey(played.value.position));
    expect(played.value.key).toBe('rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq -');
  });
});

describe('occurrences within the halfmove clock', () => {
  test('counts only the last `window` positions', () => {
    expect(occurrences(['a', 'b', 'a', 'b', 'a'], 3)).toBe(2);
    expect(occurrences(['a', 'b', 'a', 'b', 'a'], 1)).toBe(1);
    expect(occurrences(['a', 'b', 'a'], 10)).toBe(2);
  });

  test('the rules read the same with the clock as over the whole game, move by move', () => {
    // Knights out and back three times (the start position thrice), a pawn move, then again.
    const shuffle = ['g1f3', 'g8f6', 'f3g1', 'f6g8'];
    const line = [...shuffle, ...shuffle, 'e2e3', 'e7e6', ...shuffle, ...shuffle, ...shuffle];
    for (let ply = 1; ply <= line.length; ply++) {
      const { positions, position } = replay(line.slice(0, ply));
      const whole = occurrences(positions);
      expect(claimableDraw(positions, position.halfmoves)).toBe(position.halfmoves >= 100 || whole >= 3);
      expect(automaticDraw(positions, position.halfmoves)).toBe(position.halfmoves >= 150 || whole >= 5);
    }
    expect(claimableDraw(replay(line.slice(0, 8)).positions, 8)).toBe(true);
    expect(automaticDraw(replay(line).positions, replay(line).position.halfmoves)).toBe(false);
  });
});

import { Chess } from 'chessops/chess';
import { makeFen, parseFen, INITIAL_FEN } from 'chessops/fen';
import { endingOf, playUci, replay } from '../../lila-core/game/chess.js';
import { FOOLS_MATE, LOYD_STALEMATE, OPENINGS, sansOf, sanToUci } from './fixtures.js';

const at = (fen: string): Chess => Chess.fromSetup(parseFen(fen).unwrap()).unwrap();
const START_AFTER_E4 = 'rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1';

describe('playUci', () => {
  test('plays a legal move: SAN, FEN, no ending', () => {
    const played = playUci(Chess.default(), 'e2e4');
    expect(played).toMatchObject({ ok: true, value: { san: 'e4', fen: START_AFTER_E4 } });
    if (!played.ok) throw new Error('unreachable');
    expect(played.value.ending).toBeUndefined();
    expect(makeFen(played.value.position.toSetup())).toBe(played.value.fen);
    expect(played.value.position.turn).toBe('black');
  });

  test('does not touch the position it is given', () => {
    const position = Chess.default();
    playUci(position, 'g1f3');
    expect(makeFen(position.toSetup())).toBe(INITIAL_FEN);
  });

  test.each([
    ['a move no piece can make', 'e2e5'],
    ['a move of the side not on turn', 'e7e5'],
    ['a move from an empty square', 'e4e5'],
    ['a promotion suffix on an ordinary move', 'e2e4q'],
    ['not UCI at all', 'hello'],
    ['the empty string', ''],
  ])('refuses %s (%s)', (_what, uci) => {
    const played = playUci(Chess.default(), uci);
    expect(played).toEqual({ ok: false, code: 'illegal_move', message: `${uci} is not a legal move here` });
  });

  test('castling: both e1g1 and king-takes-rook e1h1 are O-O', () => {
    const position = at('r3k2r/pppppppp/8/8/8/8/PPPPPPPP/R3K2R w KQkq - 0 1');
    for (const uci of ['e1g1', 'e1h1']) {
      const played = playUci(position, uci);
      expect(played).toMatchObject({ ok: true, value: { san: 'O-O' } });
      if (played.ok) expect(played.value.fen).toBe('r3k2r/pppppppp/8/8/8/8/PPPPPPPP/R4RK1 b kq - 1 1');
    }
    expect(playUci(position, 'e1c1')).toMatchObject({ ok: true, value: { san: 'O-O-O' } });
  });

  test('promotion needs its piece letter, and may under-promote', () => {
    const position = at('8/4P3/7k/8/8/8/8/4K3 w - - 0 1');
    expect(playUci(position, 'e7e8')).toMatchObject({ ok: false });
    expect(playUci(position, 'e7e8q')).toMatchObject({ ok: true, value: { san: 'e8=Q' } });
    expect(playUci(position, 'e7e8n')).toMatchObject({ ok: true, value: { san: 'e8=N' } });
  });

  test('a checkmating move carries the ending and a # in its SAN', () => {
    const before = replay(FOOLS_MATE.slice(0, 3)).position;
    const played = playUci(before, 'd8h4');
    expect(played).toMatchObject({ ok: true, value: { san: 'Qh4#', ending: { status: 'mate', winner: 'black' } } });
  });

  test('en passant is legal right after the double step, and only then', () => {
    const { position } = sanToUci(sansOf('1. e4 d5 2. exd5 e5'));
    expect(playUci(position, 'd5e6')).toMatchObject({ ok: true, value: { san: 'dxe6' } });
    const { position: later } = sanToUci(sansOf('1. e4 d5 2. exd5 e5 3. Nf3 Nc6'));
    expect(playUci(later, 'd5e6')).toMatchObject({ ok: false });
  });
});

describe('endingOf', () => {
  test('none at the start', () => {
    expect(endingOf(Chess.default())).toBeUndefined();
  });

  test('checkmate: the side that delivered it wins (black)', () => {
    expect(endingOf(replay(FOOLS_MATE).position)).toEqual({ status: 'mate', winner: 'black' });
  });

  test('checkmate: the side that delivered it wins (white, scholar’s mate)', () => {
    const { position } = sanToUci(sansOf('1. e4 e5 2. Bc4 Nc6 3. Qh5 Nf6 4. Qxf7#'));
    expect(endingOf(position)).toEqual({ status: 'mate', winner: 'white' });
  });

  test('check alone is no ending', () => {
    const { position } = sanToUci(sansOf('1. e4 f5 2. Qh5+'));
    expect(position.isCheck()).toBe(true);
    expect(endingOf(position)).toBeUndefined();
  });

  test('stalemate is a draw', () => {
    expect(endingOf(replay(LOYD_STALEMATE).position)).toEqual({ status: 'stalemate', winner: null });
    expect(endingOf(at('7k/5Q2/6K1/8/8/8/8/8 b - - 0 1'))).toEqual({ status: 'stalemate', winner: null });
  });

  test.each([
    ['king against king', '4k3/8/8/8/8/8/8/4K3 w - - 0 1'],
    ['king and bishop against king', '4k3/8/8/8/8/8/8/2B1K3 b - - 0 1'],
    ['king and knight against king', '4k3/8/8/8/8/8/8/1N2K3 b - - 0 1'],
    ['bishops all on one colour', '2b1k3/8/8/8/8/8/8/3BK3 w - - 0 1'],
  ])('insufficient material (%s) is a draw', (_what, fen) => {
    expect(endingOf(at(fen))).toEqual({ status: 'draw', winner: null });
  });

  test.each([
    ['a pawn', '4k3/8/8/8/8/8/4P3/4K3 w - - 0 1'],
    ['a rook', '4k3/8/8/8/8/8/8/R3K3 w - - 0 1'],
    ['bishops on both colours', '2b1k3/8/8/8/8/8/8/2B1K3 w - - 0 1'],
  ])('enough material (%s) is no ending', (_what, fen) => {
    expect(endingOf(at(fen))).toBeUndefined();
  });
});

describe('replay', () => {
  test('no moves: the starting position', () => {
    const r = replay([]);
    expect(r.sans).toEqual([]);
    expect(r.fen).toBe(INITIAL_FEN);
  });

  test('returns each SAN and the final FEN', () => {
    const r = replay(['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5']);
    expect(r.sans).toEqual(['e4', 'e5', 'Nf3', 'Nc6', 'Bb5']);
    expect(r.fen).toBe('r1bqkbnr/pppp1ppp/2n5/1B2p3/4P3/5N2/PPPP1PPP/RNBQK2R b KQkq - 3 3');
    expect(makeFen(r.position.toSetup())).toBe(r.fen);
  });

  test('throws on an illegal stored move, naming it and its ply', () => {
    expect(() => replay(['e2e4', 'e7e5', 'e4e5'])).toThrow('stored move e4e5 is illegal at ply 3');
  });

  test.each(OPENINGS.map(([eco, name, pgn]) => [eco, name, pgn]))(
    'real opening %s %s: SANs and FEN agree with chessops',
    (_eco, _name, pgn) => {
      const sans = sansOf(pgn);
      const { ucis, position } = sanToUci(sans);
      const r = replay(ucis);
      expect(r.sans).toEqual(sans);
      expect(r.fen).toBe(makeFen(position.toSetup()));
    },
  );
});

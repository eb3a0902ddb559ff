import {
  destsOf,
  fenAfter,
  inCheck,
  isPromotion,
  parseMoveInput,
  positionOf,
  type Position,
} from '../../web/src/game/chess.js';
import { START } from '../support/game-json.js';

const pos = (fen: string): Position => positionOf(fen)!;
const PROMOTE = '8/4P1k1/8/8/8/8/6K1/8 w - - 0 1';
const CASTLE = 'r3k2r/pppq1ppp/2np1n2/2b1p1B1/2B1P1b1/2NP1N2/PPPQ1PPP/R3K2R w KQkq - 0 1';

describe('the keyboard box read as a move', () => {
  it.each([
    ['e4', 'e2e4'],
    ['e2e4', 'e2e4'],
    ['Nf3', 'g1f3'],
    ['nf3', 'g1f3'],
    ['Nc3+', 'b1c3'],
    [' d4 ', 'd2d4'],
  ])('from the start, %s is %s', (typed, uci) => expect(parseMoveInput(pos(START), typed)).toEqual({ uci }));

  it('castles and promotes in SAN or UCI', () => {
    expect(parseMoveInput(pos(CASTLE), 'O-O')).toEqual({ uci: 'e1h1' });
    expect(parseMoveInput(pos(CASTLE), '0-0-0')).toEqual({ uci: 'e1a1' });
    expect(parseMoveInput(pos(PROMOTE), 'e8=Q')).toEqual({ uci: 'e7e8q' });
    expect(parseMoveInput(pos(PROMOTE), 'e8n')).toEqual({ uci: 'e7e8n' });
    expect(parseMoveInput(pos(PROMOTE), 'e7e8r')).toEqual({ uci: 'e7e8r' });
  });

  it('refuses what is not a legal move here', () => {
    expect(parseMoveInput(pos(START), 'e5')).toHaveProperty('error');
    expect(parseMoveInput(pos(START), 'e2e5')).toHaveProperty('error');
    expect(parseMoveInput(pos(START), '')).toHaveProperty('error');
    expect(parseMoveInput(pos(START), 'hello')).toHaveProperty('error');
  });
});

describe('the board rules', () => {
  it('gives legal destinations, check and promotions', () => {
    expect(destsOf(pos(START)).get('g1')?.sort()).toEqual(['f3', 'h3']);
    expect(destsOf(pos(START)).has('e1')).toBe(false);
    expect(inCheck(pos('rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3'))).toBe(true);
    expect(isPromotion(pos(PROMOTE), 'e7', 'e8')).toBe(true);
    expect(isPromotion(pos(START), 'e2', 'e4')).toBe(false);
  });

  it('plays a move on a FEN, or says it cannot', () => {
    expect(fenAfter(START, 'e2e4')).toBe('rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1');
    expect(fenAfter(START, 'e2e5')).toBeNull();
  });
});

import { Chess } from 'chessops/chess';
import { parseUci } from 'chessops/util';
import { longGame } from '../support/long-game.js';

test('a long game is legal, reproducible, and ends nothing', () => {
  const line = longGame(240, 7);
  expect(line).toHaveLength(240);
  expect(longGame(240, 7)).toEqual(line);
  const position = Chess.default();
  for (const uci of line) {
    const move = parseUci(uci)!;
    expect(position.isLegal(move)).toBe(true);
    position.play(move);
    expect(position.isEnd()).toBe(false);
  }
});

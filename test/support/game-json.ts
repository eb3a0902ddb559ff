import type { GameJson } from '../../protocol/game.js';

/** The starting position, and a game's JSON at it (or as overridden), for the web page's unit tests. */
export const START = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';

export const gameJson = (o: Partial<GameJson> = {}): GameJson => ({
  id: 'abcd1234',
  players: { white: { id: 'alice', name: 'Alice' }, black: { id: 'bob', name: 'Bob' } },
  clock: { limit: 180, increment: 2 },
  clocks: { white: 180, black: 180 },
  moves: [],
  sans: [],
  fen: START,
  status: 'started',
  winner: null,
  v: 1,
  ...o,
});

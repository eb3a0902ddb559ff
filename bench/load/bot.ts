import { Chess } from 'chessops/chess';
import { parseSan } from 'chessops/san';
import { makeUci, squareRank } from 'chessops/util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOpenings } from '../../scripts/fixtures/generate.js';
import { projectRoot } from '../../scripts/stack/services.js';

/**
 * The moves of a bot game: a real opening line (../shared/data/openings, lichess's CC0 data set),
 * then random legal moves, until the position ends the game by itself. Both bots share one
 * position: the generator knows each move is legal before it sends it.
 */
export const OPENINGS_DIR = join(projectRoot, '..', 'shared', 'data', 'openings');

/** Every line of every openings file, in SAN. */
export function openingLines(): string[][] {
  if (!existsSync(OPENINGS_DIR)) return [];
  return ['a', 'b', 'c', 'd', 'e']
    .map((f) => join(OPENINGS_DIR, `${f}.tsv`))
    .filter(existsSync)
    .flatMap((file) => readOpenings(readFileSync(file, 'utf8')).map((line) => line.sans));
}

export function createBot(line: string[], random: () => number = Math.random) {
  const position = Chess.default();
  let ply = 0;
  return {
    /** The next move in UCI, played on the shared position; undefined once the game is over. */
    next(): string | undefined {
      if (position.isEnd()) return undefined;
      const san = line[ply];
      let move = san === undefined ? undefined : parseSan(position, san);
      if (!move) {
        const dests = [...position.allDests()].flatMap(([from, to]) => [...to].map((t) => ({ from, to: t })));
        const pick = dests[Math.floor(random() * dests.length)];
        const promotes = position.board.get(pick.from)?.role === 'pawn' && [0, 7].includes(squareRank(pick.to));
        move = promotes ? { ...pick, promotion: 'queen' } : pick;
      }
      position.play(move);
      ply++;
      return makeUci(move);
    },
    get ply(): number {
      return ply;
    },
  };
}

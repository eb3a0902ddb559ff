import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePgn } from 'chessops/pgn';
import { playFixture, readOpenings } from './fixtures/generate.js';

/**
 * `npm run fixtures:generate -- <file.tsv|file.pgn...> --out <folder> [--every N] [--limit N]`:
 * play fixtures from opening lines (TSV: eco, name, pgn) or from the games of a PGN file.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: 'test/fixtures/game/generated' },
    every: { type: 'string', default: '1' },
    limit: { type: 'string', default: '1000000' },
  },
});

mkdirSync(values.out, { recursive: true });
let written = 0;
for (const file of positionals) {
  const text = readFileSync(file, 'utf8');
  const lines = file.endsWith('.pgn')
    ? parsePgn(text).map((game, i) => ({
        eco: game.headers.get('ECO') ?? basename(file, '.pgn'),
        name: `${game.headers.get('White') ?? '?'} - ${game.headers.get('Black') ?? '?'} ${i + 1}`,
        sans: [...game.moves.mainline()].map((node) => node.san),
      }))
    : readOpenings(text);
  lines.forEach((line, i) => {
    if (i % Number(values.every) !== 0 || written >= Number(values.limit)) return;
    const slug = `${line.eco}-${line.name}`
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/-+$/, '')
      .slice(0, 80);
    writeFileSync(join(values.out, `${slug}-${i}.jsonl`), playFixture(`${line.eco} ${line.name}`, line.sans));
    written++;
  });
}
console.log(`${written} fixtures written to ${values.out}`);

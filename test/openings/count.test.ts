import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readOpenings } from '../../scripts/fixtures/generate.js';
import { EVERY, OPENINGS_DIR } from './replay.js';

test('the opening files replay at least 500 real lines in all', () => {
  const files = readdirSync(OPENINGS_DIR).filter((f) => f.endsWith('.tsv'));
  expect(files.sort()).toEqual(['a.tsv', 'b.tsv', 'c.tsv', 'd.tsv', 'e.tsv']);
  const replayed = files
    .map((f) => readOpenings(readFileSync(join(OPENINGS_DIR, f), 'utf8')).filter((_, i) => i % EVERY === 0).length)
    .reduce((a, b) => a + b, 0);
  expect(replayed).toBeGreaterThanOrEqual(500);
});

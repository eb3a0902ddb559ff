import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { convertTap } from './fixtures/convert.js';
import { readTap } from '../src/tap.js';

/**
 * `npm run fixtures:convert -- <tap.jsonl> [--title "..."] [--out <fixture.jsonl>]`: turns a TAP
 * recording (a stack run with `TAP=<file>`) into a socket-level fixture, to stdout without --out.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { title: { type: 'string' }, out: { type: 'string' } },
});

try {
  if (positionals.length !== 1)
    throw new Error('usage: fixtures:convert -- <tap.jsonl> [--title "..."] [--out <file>]');
  const file = positionals[0];
  const fixture = convertTap(readTap(readFileSync(file, 'utf8')), values.title ?? basename(file, '.jsonl'));
  if (values.out) {
    writeFileSync(values.out, fixture);
    console.error(`${fixture.split('\n').length - 2} steps written to ${values.out}`);
  } else process.stdout.write(fixture);
} catch (err) {
  console.error(`fixtures:convert: ${(err as Error).message}`);
  process.exit(2);
}

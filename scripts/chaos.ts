import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './chaos/report.js';
import { runChaos } from './chaos/run.js';

/**
 * `npm run chaos -- [--minutes 10] [--seed N]`: `npm start`'s supervised stack on free ports, bots
 * playing through its nginx, and a seeded schedule of SIGKILL/SIGTERM to a random relay,
 * lila-core, Redis or FerretDB every few seconds (scripts/chaos/). Prints the seed first; the
 * same seed sends the same faults. Exits 0 only when every check holds.
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
    games: { type: 'string', default: '6' },
    'min-gap': { type: 'string', default: '3' },
    'max-gap': { type: 'string', default: '8' },
    warmup: { type: 'string', default: '20' },
    log: { type: 'string' },
  },
});

const number = (name: string, value: string | undefined, min = 0): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    console.error(`chaos: --${name} must be a number of at least ${min}, not ${value}`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<number> {
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Math.floor(number('seed', values.seed));
  const logFile = values.log ?? join(tmpdir(), `lila-chaos-${seed}.log`);
  console.log(`chaos seed ${seed} (again with --seed ${seed}); the launcher's output goes to ${logFile}`);
  const report = await runChaos({
    seed,
    faultMs: number('minutes', values.minutes, 0.1) * 60_000,
    warmupMs: number('warmup', values.warmup) * 1000,
    pairs: Math.floor(number('games', values.games, 1)),
    minGapMs: number('min-gap', values['min-gap'], 0.1) * 1000,
    maxGapMs: number('max-gap', values['max-gap'], 0.1) * 1000,
    logFile,
    log: (line) => console.log(line),
  });
  for (const line of formatReport(report)) console.log(line);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`chaos: ${err.stack ?? err.message}`);
    process.exit(2);
  },
);

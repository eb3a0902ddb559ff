import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { formatReport, FUZZ_STACK_ENV, runFuzz } from './fuzz/run.js';
import { endpointOf } from './fuzz/slot.js';
import { frameAt, planOf } from './fuzz/source.js';
import { startStack } from './stack/stack.js';

/**
 * `npm run fuzz -- [--frames 1000000] [--seed N]`: generated frames against a real relay pair and
 * lila-core while bots play (scripts/fuzz/run.ts), then the checks. Prints the seed first; the same
 * seed sends the same frames. `--heap-snapshots <dir>` writes each process's heap at both memory
 * readings. `--show <slot.connection.index>` prints one frame of a seed again.
 */
const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    slots: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '100000' },
    bots: { type: 'string', default: '4' },
    pairs: { type: 'string', default: '6' },
    minutes: { type: 'string', default: '30' },
    show: { type: 'string' },
    'heap-snapshots': { type: 'string' },
  },
});

const int = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} must be a whole number, not ${value}`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<number> {
  const seed = values.seed === undefined ? randomInt(2 ** 31) : int('seed', values.seed);
  if (values.show !== undefined) {
    const [slot, connection, index] = values.show.split('.').map((part) => int('show', part));
    if (slot === undefined || connection === undefined || index === undefined)
      throw new Error('--show <slot.connection.index>');
    const plan = planOf(seed, slot, connection);
    const frame = frameAt(seed, slot, connection, endpointOf(plan), index);
    const data = typeof frame.data === 'string' ? frame.data : `base64:${Buffer.from(frame.data).toString('base64')}`;
    console.log(JSON.stringify({ plan, category: frame.category, binary: frame.binary, fill: frame.fill, data }));
    return 0;
  }
  console.log(`fuzz seed ${seed} (again with --seed ${seed})`);
  process.stdout.write('starting redis-server, FerretDB, lila-core and two relays… ');
  const stack = await startStack({ relays: 2, env: FUZZ_STACK_ENV });
  console.log('up');
  // Ctrl-C stops the stack too, rather than leaving its processes behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  try {
    const report = await runFuzz(stack, {
      frames: int('frames', values.frames),
      seed,
      slots: int('slots', values.slots),
      warmup: int('warmup', values.warmup),
      botPairs: int('bots', values.bots),
      fuzzPairs: Math.max(1, int('pairs', values.pairs)),
      timeLimitMs: int('minutes', values.minutes) * 60_000,
      snapshotDir: values['heap-snapshots'],
      log: (line) => console.log(line),
    });
    for (const line of formatReport(report)) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`fuzz: ${err.stack ?? err.message}`);
    process.exit(2);
  },
);

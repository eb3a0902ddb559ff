import { parseArgs } from 'node:util';
import { fixtureFiles, loadFixture } from './fixtures/files.js';
import { describeFailure, runFixture, type Target } from './fixtures/run.js';
import { startStack, type Stack } from './stack/stack.js';

/**
 * `npm run replay -- <fixture or folder...>`: plays message fixtures against a running stack
 * (the local one by default), or against an ephemeral one with `--start`.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    http: { type: 'string', default: 'http://127.0.0.1:9663' },
    ws: { type: 'string', default: 'ws://127.0.0.1:9664,ws://127.0.0.1:9665' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    start: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const files = fixtureFiles(positionals.length ? positionals : ['test/fixtures']);
  let stack: Stack | undefined;
  let target: Target = { httpUrl: values.http, wsUrls: values.ws.split(','), redisUrl: values.redis };
  if (values.start) {
    process.stdout.write('starting an ephemeral stack (manual clock)… ');
    stack = await startStack({ relays: 2, env: { CLOCK: 'manual' } });
    target = { httpUrl: stack.httpUrl, wsUrls: stack.relayUrls, redisUrl: stack.redisUrl };
    console.log('up');
  }
  let passed = 0;
  let failed = 0;
  try {
    for (const file of files) {
      const started = Date.now();
      let outcome;
      try {
        outcome = await runFixture(loadFixture(file), target);
      } catch (err) {
        outcome = { ok: false as const, line: 0, message: (err as Error).message };
      }
      if (outcome.ok) {
        passed++;
        console.log(`✓ ${file} (${outcome.steps} steps, ${Date.now() - started} ms)`);
      } else {
        failed++;
        console.log(describeFailure(file, outcome));
      }
    }
  } finally {
    await stack?.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`replay: ${err.message}`);
    process.exit(2);
  },
);

import { join } from 'node:path';
import { fixtureFiles, loadFixture } from '../scripts/fixtures/files.js';
import { describeFailure, runFixture, type Target } from '../scripts/fixtures/run.js';
import { projectRoot } from '../scripts/stack/services.js';
import { startStack, type Stack } from '../scripts/stack/stack.js';

/**
 * Every fixture under test/fixtures (grouped by room: game, lobby, site, tournament), one test per file, on
 * one stack of two relays whose lila-core runs on the manual clock, so that bus fixtures can
 * advance time. Socket fixtures match clock times with "$number" and do not mind.
 */
const DIR = join(projectRoot, 'test', 'fixtures');
const files = fixtureFiles([DIR]);

let stack: Stack;
let target: Target;
beforeAll(async () => {
  stack = await startStack({ relays: 2, env: { CLOCK: 'manual' } });
  target = { httpUrl: stack.httpUrl, wsUrls: stack.relayUrls, redisUrl: stack.redisUrl };
}, 60_000);
afterAll(() => stack?.stop());

test('there are fixtures for every room', () => {
  const rooms = new Set(files.map((f) => f.slice(DIR.length + 1).split('/')[0]));
  expect([...rooms].sort()).toEqual(['game', 'lobby', 'site', 'tournament']);
});

// One after another: bus fixtures move the clock that every fixture's games share.
test.each(files.map((file) => [file.slice(DIR.length + 1), file]))('%s', async (_name, file) => {
  const outcome = await runFixture(loadFixture(file), target);
  if (!outcome.ok) throw new Error(describeFailure(file, outcome));
  expect(outcome.steps).toBeGreaterThan(0);
});

import { CATEGORIES } from '../../scripts/fuzz/frames.js';
import { formatReport, FUZZ_STACK_ENV, MEMORY_TOLERANCE, runFuzz, type FuzzReport } from '../../scripts/fuzz/run.js';
import { ACTION_TYPES } from '../../scripts/fuzz/valid.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * The fuzzer's seeded subset in CI (`npm run fuzz` is the full run): 50,000 generated frames to
 * every endpoint of two real relays, with a real lila-core, while bots play. The seed is fixed so
 * that a failure here is the same failure on a developer's machine; FUZZ_SEED tries another.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 13_2026);
const FRAMES = 50_000;

let stack: Stack;
let report: FuzzReport;

beforeAll(async () => {
  stack = await startStack({ relays: 2, env: FUZZ_STACK_ENV });
  report = await runFuzz(stack, {
    frames: FRAMES,
    seed: SEED,
    slots: 120,
    warmup: 3000,
    botPairs: 3,
    fuzzPairs: 4,
    timeLimitMs: 150_000,
    log: () => undefined,
  });
  console.log(formatReport(report).join('\n'));
}, 300_000);
afterAll(() => stack?.stop());

test(`${FRAMES} frames of every category were sent, and reached the relays' parsing`, () => {
  expect(report.frames).toBeGreaterThanOrEqual(FRAMES);
  for (const category of CATEGORIES) expect(report.tally.sentBy.get(category)).toBeGreaterThan(0);
  // Paced under the limits: few frames were dropped, and most got an answer of their own.
  expect(report.relayDropped).toBeLessThan(report.tally.sent * 0.01);
  expect(report.tally.answered()).toBeGreaterThan(report.tally.sent * 0.5);
});

test('every kind of client action reached lila-core, and every site-in message is a CoreIn', () => {
  for (const t of ACTION_TYPES) expect({ t, seen: report.siteIn.byType.get(t) > 0 }).toEqual({ t, seen: true });
  expect(report.siteIn.samples).toEqual([]);
  expect(report.siteIn.invalid).toBe(0);
});

test('no process crashed, all are healthy, and the relay did nothing a correct relay would not', () => {
  expect(report.crashed).toEqual([]);
  expect(report.unhealthy).toEqual([]);
  expect(report.tally.findings).toEqual([]);
});

test(`memory is back within ${MEMORY_TOLERANCE * 100}% of the baseline`, () => {
  expect(report.memory.map((m) => m.name).sort()).toEqual(['core', 'relay-1', 'relay-2']);
  for (const m of report.memory)
    expect({ ...m, within: m.growth <= MEMORY_TOLERANCE, collected: !Number.isNaN(m.heapAfter) }).toMatchObject({
      within: true,
      collected: true,
    });
});

test('every game holds: contiguous versions, its saved state a replay of its moves; the bots were never refused', () => {
  expect(report.bots.games).toBeGreaterThan(0);
  expect(report.games.checked).toBeGreaterThan(report.bots.games);
  expect(report.games.problems).toEqual([]);
  expect(report.bots.problems).toEqual([]);
});

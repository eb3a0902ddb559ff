import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseFixture } from '../../scripts/fixtures/format.js';
import { runFixture, type Outcome } from '../../scripts/fixtures/run.js';
import { projectRoot } from '../../scripts/stack/services.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * A fixture that no longer matches the system must fail, and say where and how: the step, what
 * was expected, and what arrived. Each case breaks the fool's mate fixture in one way.
 */
const FOOLS_MATE = join(projectRoot, 'test', 'fixtures', 'game', 'fools-mate.jsonl');
const original = readFileSync(FOOLS_MATE, 'utf8');
const lines = original.split('\n');
const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
});
afterAll(() => stack?.stop());

const run = (text: string): Promise<Outcome> =>
  runFixture(parseFixture(text, 'broken.jsonl'), { httpUrl: stack.httpUrl, wsUrls: stack.relayUrls });

const failure = (outcome: Outcome) => {
  if (outcome.ok) throw new Error('the broken fixture passed');
  return outcome;
};

test('the fixture passes as it is', async () => {
  expect(await run(original)).toEqual({ ok: true, steps: lines.filter((l) => l.trim()).length - 1 });
});

test('a wrong SAN fails at its step, showing the path, both values and both frames', async () => {
  const at = lineOf('"expect":"s","frame":{"t":"move","v":4');
  const broken = [...lines];
  broken[at] = broken[at].replace('"san":"Qh4#"', '"san":"Qh4+"');
  const outcome = failure(await run(broken.join('\n')));
  expect(outcome.line).toBe(at + 1);
  expect(outcome.step).toMatchObject({ expect: 's', frame: { t: 'move', v: 4 } });
  expect(outcome.message).toContain('frame on s differs:');
  expect(outcome.message).toContain('at d.san: expected "Qh4+", got "Qh4#"');
  expect(outcome.message).toMatch(/expected: \{"t":"move","v":4,.*"san":"Qh4\+"/);
  expect(outcome.message).toMatch(/actual: {3}\{"t":"move","v":4,.*"san":"Qh4#"/);
});

test('a missing event fails at the step that waited for it, saying nothing arrived', async () => {
  const at = lineOf('"expect":"s","frame":{"t":"end"');
  const broken = [...lines];
  broken.splice(at + 1, 0, '{"expect":"s","frame":{"t":"end","v":6,"d":"$any"},"within":"300ms"}');
  const outcome = failure(await run(broken.join('\n')));
  expect(outcome.line).toBe(at + 2);
  expect(outcome.message).toBe('nothing arrived on s within 300 ms; expected {"t":"end","v":6,"d":"$any"}');
});

test('an extra event fails after the last step, showing the frame nobody expected', async () => {
  const broken = lines.filter((l) => !l.includes('"expect":"s","frame":{"t":"end"'));
  const outcome = failure(await run(broken.join('\n')));
  expect(outcome.step).toBeUndefined();
  expect(outcome.message).toMatch(
    /^unexpected frame on s after the last step:\n {2}\{"t":"end","v":5,"d":\{"winner":"black","status":"mate","clock":/,
  );
});

test('npm run replay prints the divergence and the summary, and exits non-zero', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lila-broken-'));
  const file = join(dir, 'wrong-san.jsonl');
  writeFileSync(file, original.replace('"san":"Qh4#"', '"san":"Qxh4"'));
  try {
    const replay = promisify(execFile)(
      process.execPath,
      [
        join(projectRoot, 'dist', 'scripts', 'replay.js'),
        '--http',
        stack.httpUrl,
        '--ws',
        stack.relayUrls.join(','),
        '--redis',
        stack.redisUrl,
        FOOLS_MATE,
        file,
      ],
      { timeout: 20_000 },
    );
    const result = await replay.then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✓ ${FOOLS_MATE}`);
    expect(result.stdout).toContain(`✗ ${file}:${lineOf('"san":"Qh4#"') + 1}`);
    expect(result.stdout).toContain('at d.san: expected "Qxh4", got "Qh4#"');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/stack/services.js';

/**
 * A bad environment variable stops lila-core or a relay at once: exit status 2 and exactly one
 * line on stderr naming the variable. The processes are the compiled ones, started as an operator would.
 */

const entries = { core: 'dist/lila-core/main.js', relay: 'dist/ws-server/main.js' } as const;
type Kind = keyof typeof entries;

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lila-config-test-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Exit = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; killed: boolean };

/**
 * Runs one process with a clean environment plus `env`, and resolves on its exit event. A process
 * that is still running after `timeoutMs` (it accepted the configuration) is killed and reported so.
 */
function run(kind: Kind, env: Record<string, string>, timeoutMs = 10_000): Promise<Exit> {
  const child = spawn(process.execPath, [join(projectRoot, entries[kind])], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      SESSION_SECRET: 'config-test-secret-0123456789-abcdefghijkl',
      LOG_LEVEL: 'warn',
      // Nothing listens here: should a process accept its configuration, it must not find real services.
      REDIS_URL: 'redis://127.0.0.1:1',
      MONGO_URL: 'mongodb://127.0.0.1:1/lila',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close' comes after 'exit' once stdout and stderr are drained, so both are complete.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** Exit status 2, one line on stderr that names `variable`, and nothing else said. */
function expectRefused(exit: Exit, variable: string): void {
  expect({ code: exit.code, killed: exit.killed }).toEqual({ code: 2, killed: false });
  expect(lines(exit.stderr)).toHaveLength(1);
  expect(lines(exit.stderr)[0]).toMatch(new RegExp(`\\b${variable}\\b`));
  expect(exit.stdout).toBe('');
}

describe.each(['core', 'relay'] as const)('%s', (kind) => {
  test('PORT=notaport: exits with status 2 and one line on stderr naming PORT', async () => {
    const exit = await run(kind, { PORT: 'notaport' });
    expectRefused(exit, 'PORT');
    expect(exit.stderr).toContain('notaport');
  });

  test.each(['0', '65536', '-1', '80.5'])('PORT=%s: exits with status 2 naming PORT', async (port) => {
    expectRefused(await run(kind, { PORT: port }), 'PORT');
  });

  test('REDIS_URL=http://x: exits with status 2 and one line on stderr naming REDIS_URL', async () => {
    const exit = await run(kind, { REDIS_URL: 'http://x' });
    expectRefused(exit, 'REDIS_URL');
    expect(exit.stderr).not.toMatch(/\bPORT\b/);
  });

  test('LOG_LEVEL=loud: exits with status 2 naming LOG_LEVEL', async () => {
    expectRefused(await run(kind, { LOG_LEVEL: 'loud' }), 'LOG_LEVEL');
  });

  test('a SESSION_SECRET under 32 characters: exits with status 2 naming SESSION_SECRET', async () => {
    expectRefused(await run(kind, { SESSION_SECRET: 'short-secret' }), 'SESSION_SECRET');
  });

  // src/log.ts promises that secrets are never logged; the refusal line echoes every bad value.
  test('a refused SESSION_SECRET is named but not echoed on stderr', async () => {
    const exit = await run(kind, { SESSION_SECRET: 'my-real-secret-typo-too-short' });
    expect(exit.code).toBe(2);
    expect(exit.stderr).not.toContain('my-real-secret-typo-too-short');
  });
});

test("relay RELAY_ID='bad id!': exits with status 2 and one line on stderr naming RELAY_ID", async () => {
  const exit = await run('relay', { RELAY_ID: 'bad id!' });
  expectRefused(exit, 'RELAY_ID');
});

test.each([
  ['ALLOWED_ORIGINS', 'https://chess.example/app'],
  ['ALLOWED_ORIGINS', '*'],
  ['RATE_LIMIT_FACTOR', '0'],
  ['RATE_LIMIT_FACTOR', 'lots'],
])('relay %s=%s: exits with status 2 naming it', async (variable, value) => {
  expectRefused(await run('relay', { [variable]: value }), variable);
});

test('core MONGO_URL=http://x: exits with status 2 naming MONGO_URL', async () => {
  expectRefused(await run('core', { MONGO_URL: 'http://x' }), 'MONGO_URL');
});

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../scripts/stack/services.js';

/**
 * A real process run by src/process.ts's runService, as lila-core and the relays are, meets an
 * error nobody catches once it is up: it logs it (pino JSON) and exits with 1 for its supervisor.
 */
const dist = (file: string) => pathToFileURL(join(projectRoot, 'dist', file)).href;

function runFaulty(fault: string): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const script = `
    import { runService } from ${JSON.stringify(dist('src/process.js'))};
    import { createLogger } from ${JSON.stringify(dist('src/log.js'))};
    runService('faulty', createLogger('core', 'info'), async () => {
      setTimeout(() => { ${fault} }, 10);
      return { close: async () => undefined };
    });
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) =>
      resolve({
        code,
        lines: out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    ),
  );
}

test('a throw in a callback: logged with its stack, exit status 1', async () => {
  const { code, lines } = await runFaulty(`throw new Error('thrown in a timer')`);
  expect(code).toBe(1);
  expect(lines).toContainEqual(
    expect.objectContaining({
      level: 60,
      proc: 'core',
      fault: 'uncaughtException',
      err: 'thrown in a timer',
      stack: expect.stringContaining('Error: thrown in a timer'),
    }),
  );
});

test('a promise rejected with no catch: logged, exit status 1', async () => {
  const { code, lines } = await runFaulty(`void Promise.reject(new Error('nobody caught me'))`);
  expect(code).toBe(1);
  expect(lines).toContainEqual(
    expect.objectContaining({ level: 60, fault: 'unhandledRejection', err: 'nobody caught me' }),
  );
});

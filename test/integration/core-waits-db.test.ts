import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretdb, startNode, startRedis, type Service } from '../../scripts/stack/services.js';

/**
 * lila-core started while its database is down (issue 14's chaos run: it exited 1 on `connect
 * ECONNREFUSED`, one more failed start for its supervisor): it waits, one log line per attempt,
 * and serves once the database is up, without exiting. While it waits, SIGTERM stops it cleanly.
 */

let dir: string;
const services: Service[] = [];
/** Processes started without a Service (never ready): killed at the end if still there. */
const strays: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lila-core-waits-db-'));
});

afterAll(async () => {
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already, as it should be.
    }
  }
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

/** lila-core on a MongoDB port where nothing listens yet; resolves once it said it waits. */
async function coreWithoutDb(name: string) {
  const [redisPort, mongoPort, port] = [await freePort(), await freePort(), await freePort()];
  services.push(await startRedis(redisPort, join(dir, `redis-${name}`)));
  const watchers: { match: (line: string) => boolean; found: (line: string) => void }[] = [];
  /** The first line from now on that matches. */
  const lines = (match: (line: string) => boolean) => new Promise<string>((found) => watchers.push({ match, found }));
  const waiting = lines((line) => /waiting for MongoDB/.test(line));
  const core = startNode(
    'core',
    {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/lila`,
      SESSION_SECRET: 'core-waits-db-secret-0123456789-abcdefgh',
      DATA_DIR: dir,
      PORT: String(port),
      LOG_LEVEL: 'info',
      SCRYPT_N: '16384',
    },
    (line) => watchers.filter((w) => w.match(line)).forEach((w) => w.found(line)),
    `core-${name}`,
  );
  return { core, waiting, lines, mongoPort, port };
}

test('lila-core waits for MongoDB at start, then serves once it is up', async () => {
  const { core, waiting, mongoPort, port } = await coreWithoutDb('late');
  await waiting;
  services.push(await startFerretdb(mongoPort, join(dir, 'ferretdb')));
  const started = await core;
  services.push(started);
  expect(started.process.exitCode).toBeNull();
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ mongo: 'connected', redis: 'connected' });
  expect(started.output.filter((line) => /waiting for MongoDB/.test(line)).length).toBeGreaterThanOrEqual(1);
});

test('lila-core waiting for MongoDB stops on SIGTERM', async () => {
  const { core, waiting, lines } = await coreWithoutDb('stopped');
  // Never ready: its start ends with the process.
  core.catch(() => undefined);
  const { pid } = JSON.parse(await waiting) as { pid: number };
  strays.push(pid);
  const stopping = lines((line) => /stopping before it started/.test(line));
  process.kill(pid, 'SIGTERM');
  expect(JSON.parse(await stopping)).toMatchObject({ signal: 'SIGTERM' });
});

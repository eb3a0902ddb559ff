import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopback } from './nginx-render.js';
import { writeNginxConf } from './nginx-conf.js';
import { freePort, startFerretdb, startNginx, startNode, startRedis, type Service } from './services.js';

/**
 * An ephemeral stack of real processes, for a test file or a replay run: redis-server, FerretDB,
 * lila-core and relays, each on a free loopback port, data in a temporary folder, all stopped
 * (and the folder removed) by `stop()`. `TEST_MONGO_URL` replaces FerretDB with your MongoDB.
 * With `nginx`, an edge in front of them all, as browsers meet it in production.
 */
export type Stack = {
  httpUrl: string;
  relayUrls: string[];
  redisUrl: string;
  mongoUrl: string;
  secret: string;
  dir: string;
  redis: Service;
  core: Service;
  relays: Service[];
  /** With the `nginx` option: the edge's `http://127.0.0.1:<port>`, and nginx itself. */
  edgeUrl?: string;
  nginx?: Service;
  /** Starts lila-core again (after a test stopped or killed it). */
  startCore(): Promise<Service>;
  startRedis(): Promise<Service>;
  stop(): Promise<void>;
};

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

export async function startStack(
  o: { relays?: number; env?: NodeJS.ProcessEnv; nginx?: boolean } = {},
): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'lila-test-'));
  const [redisPort, mongoPort, corePort] = [await freePort(), await freePort(), await freePort()];
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const mongoUrl = process.env.TEST_MONGO_URL ?? `mongodb://127.0.0.1:${mongoPort}/lila`;
  const common = {
    REDIS_URL: redisUrl,
    MONGO_URL: mongoUrl,
    SESSION_SECRET: TEST_SECRET,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    // The suites make hundreds of accounts: hashes at N = 2^14 rather than OWASP's 2^17 (8× faster).
    SCRYPT_N: '16384',
    ...o.env,
  };
  const services: Service[] = [];
  const track = (s: Service) => (services.push(s), s);

  const stack: Stack = {
    httpUrl: `http://127.0.0.1:${corePort}`,
    relayUrls: [],
    redisUrl,
    mongoUrl,
    secret: TEST_SECRET,
    dir,
    redis: undefined as unknown as Service,
    core: undefined as unknown as Service,
    relays: [],
    async startCore() {
      stack.core = track(await startNode('core', { ...common, PORT: String(corePort) }));
      return stack.core;
    },
    async startRedis() {
      stack.redis = track(await startRedis(redisPort, join(dir, 'redis')));
      return stack.redis;
    },
    async stop() {
      // nginx first and gently: its master reaps its workers, which a SIGKILL would leave as zombies.
      await stack.nginx?.stop('SIGTERM');
      await Promise.all(services.map((s) => s.stop('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await stack.startRedis();
    if (!process.env.TEST_MONGO_URL) track(await startFerretdb(mongoPort, join(dir, 'ferretdb')));
    await stack.startCore();
    for (let i = 0; i < (o.relays ?? 2); i++) {
      const port = await freePort();
      const env = { ...common, PORT: String(port), RELAY_ID: `relay-${i + 1}` };
      stack.relays.push(track(await startNode('relay', env, undefined, `relay-${i + 1}`)));
      stack.relayUrls.push(`ws://127.0.0.1:${port}`);
    }
    if (o.nginx) {
      const edgePort = await freePort();
      const prefix = join(dir, 'nginx');
      const conf = writeNginxConf({
        prefix,
        listen: loopback(edgePort),
        relays: stack.relayUrls.map((url) => loopback(new URL(url).port)),
        core: loopback(corePort),
      });
      stack.nginx = track(await startNginx(prefix, conf));
      stack.edgeUrl = `http://127.0.0.1:${edgePort}`;
    }
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

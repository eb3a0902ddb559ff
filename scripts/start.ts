import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loopback } from './stack/nginx-render.js';
import { writeNginxConf } from './stack/nginx-conf.js';
import { loadConfig, port } from '../src/config.js';
import { startFerretdb, startNginx, startNode, startRedis } from './stack/services.js';
import { createSupervisor } from './stack/supervise.js';

/**
 * The whole local stack on loopback: redis-server and FerretDB (unless REDIS_URL or MONGO_URL
 * name servers of your own), lila-core, two relays, and nginx in front of them, each started again
 * when it exits (supervise.ts). Ctrl-C or SIGTERM stops everything, in order.
 */
const env = loadConfig({
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().optional(),
  MONGO_URL: z.string().optional(),
  REDIS_PORT: port(6379),
  MONGO_PORT: port(27017),
  CORE_PORT: port(9663),
  RELAY_PORTS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated ports')
    .default('9664,9665'),
  NGINX_PORT: port(8080),
  LOG_LEVEL: z.string().default('info'),
});

const dataDir = resolve(env.DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const echo = (name: string) => (line: string) => process.stdout.write(`${name.padEnd(8)} ${line}\n`);
const supervisor = createSupervisor({ say: echo('stack') });
/** Relays drain into lila-core, nginx goes once they have, lila-core saves into the stores, the stores go last. */
const TIER = { relay: 0, nginx: 1, core: 2, store: 3 };
/** Every child has a process group of its own: Ctrl-C reaches the launcher alone, which stops them in order. */
const OWN_GROUP = true;

let stopped: Promise<void> | undefined;
function stopAll(code: number): void {
  stopped ??= supervisor.stop().then(() => process.exit(code));
}

async function main() {
  // npm passes a terminal's Ctrl-C on as well: the second one changes nothing.
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  const redisUrl = env.REDIS_URL ?? `redis://127.0.0.1:${env.REDIS_PORT}`;
  if (!env.REDIS_URL)
    await supervisor.run({
      name: 'redis',
      stopTier: TIER.store,
      start: () => startRedis(env.REDIS_PORT, join(dataDir, 'redis'), echo('redis'), undefined, OWN_GROUP),
    });
  const mongoUrl = env.MONGO_URL ?? `mongodb://127.0.0.1:${env.MONGO_PORT}/lila`;
  if (!env.MONGO_URL)
    await supervisor.run({
      name: 'ferretdb',
      stopTier: TIER.store,
      start: () => startFerretdb(env.MONGO_PORT, join(dataDir, 'ferretdb'), echo('ferretdb'), undefined, OWN_GROUP),
    });

  const common = { REDIS_URL: redisUrl, MONGO_URL: mongoUrl, DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL };
  const coreEnv = { ...common, PORT: String(env.CORE_PORT) };
  await supervisor.run({
    name: 'core',
    stopTier: TIER.core,
    start: () => startNode('core', coreEnv, echo('core'), 'core', undefined, [], OWN_GROUP),
  });
  const relayPorts = env.RELAY_PORTS.split(',');
  for (const [i, relayPort] of relayPorts.entries()) {
    const name = `relay-${i + 1}`;
    const relayEnv = { ...common, PORT: relayPort, RELAY_ID: name };
    await supervisor.run({
      name,
      stopTier: TIER.relay,
      start: () => startNode('relay', relayEnv, echo(name), name, undefined, [], OWN_GROUP),
    });
  }
  const nginxPrefix = join(dataDir, 'nginx');
  const nginxConf = writeNginxConf({
    prefix: nginxPrefix,
    listen: loopback(env.NGINX_PORT),
    relays: relayPorts.map(loopback),
    core: loopback(env.CORE_PORT),
  });
  await supervisor.run({
    name: 'nginx',
    stopTier: TIER.nginx,
    start: () => startNginx(nginxPrefix, nginxConf, echo('nginx')),
  });
  const edge = `127.0.0.1:${env.NGINX_PORT}`;

  console.log(
    [
      '',
      `lila-ts is up: open the web UI at http://${edge}/`,
      `  edge       http://${edge}/  (nginx: web root, /api, /health; sockets ws://${edge}/play/<gameId>?token=…)`,
      `             config ${nginxConf}, access log ${join(nginxPrefix, 'access.log')}`,
      `  HTTP API   http://127.0.0.1:${env.CORE_PORT}/api  (health: /health)`,
      ...relayPorts.map(
        (p, i) =>
          `  relay-${i + 1}    ws://127.0.0.1:${p}/play/<gameId>?token=…  /watch/<gameId>  /lobby  /site  /user/<id>`,
      ),
      `  Redis      ${redisUrl}`,
      `  MongoDB    ${mongoUrl}`,
      `  data       ${dataDir}`,
      'A process that exits is started again; Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: Error) => {
  console.error(`start: ${err.message}`);
  stopAll(1);
});

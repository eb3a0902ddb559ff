import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loopback } from './stack/nginx-render.js';
import { writeNginxConf } from './stack/nginx-conf.js';
import { loadConfig, port } from '../src/config.js';
import { startFerretdb, startNginx, startNode, startRedis, type Service } from './stack/services.js';

/**
 * The whole local stack on loopback: redis-server and FerretDB (unless REDIS_URL or MONGO_URL
 * name servers of your own), lila-core, two relays, and nginx in front of them. Ctrl-C stops
 * everything.
 */
const env = loadConfig({
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().optional(),
  MONGO_URL: z.string().optional(),
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
const running: Service[] = [];
const echo = (name: string) => (line: string) => process.stdout.write(`${name.padEnd(8)} ${line}\n`);
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  // Relays first, the core next, the stores last: nothing is cut off from what it needs.
  for (const service of [...running].reverse()) await service.stop();
  process.exit(code);
}

const supervise = (service: Service) => {
  running.push(service);
  void service.exited.then((code) => {
    if (stopping) return;
    console.error(`${service.name} exited (${code}); stopping the stack`);
    void stopAll(1);
  });
  return service;
};

async function main() {
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!env.REDIS_URL) supervise(await startRedis(6379, join(dataDir, 'redis'), echo('redis')));
  const mongoUrl = env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/lila';
  if (!env.MONGO_URL) supervise(await startFerretdb(27017, join(dataDir, 'ferretdb'), echo('ferretdb')));

  const common = { REDIS_URL: redisUrl, MONGO_URL: mongoUrl, DATA_DIR: dataDir, LOG_LEVEL: env.LOG_LEVEL };
  supervise(await startNode('core', { ...common, PORT: String(env.CORE_PORT) }, echo('core')));
  const relayPorts = env.RELAY_PORTS.split(',');
  for (const [i, relayPort] of relayPorts.entries()) {
    const name = `relay-${i + 1}`;
    supervise(await startNode('relay', { ...common, PORT: relayPort, RELAY_ID: name }, echo(name), name));
  }
  const nginxPrefix = join(dataDir, 'nginx');
  const nginxConf = writeNginxConf({
    prefix: nginxPrefix,
    listen: loopback(env.NGINX_PORT),
    relays: relayPorts.map(loopback),
    core: loopback(env.CORE_PORT),
  });
  supervise(await startNginx(nginxPrefix, nginxConf, echo('nginx')));
  const edge = `127.0.0.1:${env.NGINX_PORT}`;

  console.log(
    [
      '',
      'lila-ts is up:',
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
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: Error) => {
  console.error(`start: ${err.message}`);
  void stopAll(1);
});

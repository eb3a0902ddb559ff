import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { freePort, projectRoot, spawnService } from '../../scripts/stack/services.js';
import { subscribeCentrifugo } from '../load/centrifugo-client.js';
import {
  installHint,
  newRecoveryStats,
  peerSource,
  peersDir,
  redisVersion,
  ServerSide,
  type PeerOptions,
  type PeerTarget,
} from '../peers/peers.js';
import type { StartOptions, Subscription } from '../target.js';

/**
 * Centrifugo v6 with its Redis engine: two nodes behind one Redis. Clients connect anonymously
 * (no JWT: `client.allow_anonymous_connect_without_token` and `allow_subscribe_for_anonymous`,
 * chosen so the generator spends nothing on tokens) and speak Centrifugo's JSON client protocol
 * over WebSocket (bench/load/centrifugo-client.ts). Payloads go through Centrifugo's HTTP server
 * API, one POST /api/publish per payload (no batching), on keep-alive connections: `LANES` per
 * node, each one request at a time, every room always on the same lane. So a room's payloads stay
 * in order, as a publisher that needs order must keep them (concurrent requests overtake one
 * another), while rooms go in parallel over both nodes. A payload travels as a JSON string (`data`
 * is the payload's text), so the client hands back exactly the string published.
 *
 * With `recovery`, rooms are in the `rec` namespace, which keeps history (`history_size`,
 * `history_ttl`) and forces recovery (`force_recovery`), as Centrifugo's documentation configures
 * it; without it, channels keep no history (Centrifugo's default), which is what fan-out measures.
 * The binary is built by bench/peers/install.sh (`go install`, pinned) into the peers folder.
 */
export type Centrifugo = PeerTarget & {
  /** HTTP API publishes that failed (refused, or answered with an error). */
  publishErrors: number;
};

const NAMESPACE = 'rec';
/** Keep-alive connections per node for the HTTP API, one request at a time each. */
const LANES = 16;
const HISTORY_SIZE = 1000;
const HISTORY_TTL = '300s';

/** Centrifugo v6's configuration for one node. */
export function centrifugoConfig(o: { port: number; redisUrl: string; apiKey: string }): object {
  const open = { allow_subscribe_for_anonymous: true, allow_subscribe_for_client: true };
  return {
    http_server: { address: '127.0.0.1', port: o.port },
    log: { level: 'info' },
    engine: { type: 'redis', redis: { address: [o.redisUrl], prefix: 'centrifugo' } },
    client: { allowed_origins: ['*'], allow_anonymous_connect_without_token: true },
    http_api: { key: o.apiKey },
    channel: {
      without_namespace: open,
      namespaces: [
        { name: NAMESPACE, history_size: HISTORY_SIZE, history_ttl: HISTORY_TTL, force_recovery: true, ...open },
      ],
    },
  };
}

/** The `ws` package the generator's clients use (the project's own). */
const wsVersion = (): string =>
  (JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'ws', 'package.json'), 'utf8')) as { version: string })
    .version;

/** Centrifugo's log line once its HTTP server listens (JSON: it logs so when not on a terminal). */
const READY = /"message":"serving websocket/;

/** The version bench/peers/install.sh pins, read from it: one place to change it. */
export const centrifugoVersion = (): string =>
  /^centrifugo_version="([^"]+)"/m.exec(readFileSync(peerSource('install.sh'), 'utf8'))?.[1] ?? 'unknown';
/** The binary it builds, its version in the name (as scripts/ensure.sh names FerretDB's). */
export const centrifugoBinary = (): string => join(peersDir(), 'bin', `centrifugo-${centrifugoVersion()}`);

export function createCentrifugo(options: PeerOptions = {}): Centrifugo {
  const recovering = options.recovery ?? false;
  const side = new ServerSide();
  let wsUrls: string[] = [];
  let ports: number[] = [];
  let lanes: { port: number; agent: Agent }[] = [];
  /** The lanes to nodes still in service (a deploy takes its node out before stopping it). */
  let live: { port: number; agent: Agent }[] = [];
  const laneOf = new Map<string, number>();
  let apiKey = '';
  let made = 0;
  const subscriptions = new Set<Subscription>();

  /**
   * One POST /api/publish on the room's lane. A request its node refused because it was being
   * taken out goes again once, through a node still in service, as a load balancer retries.
   */
  const send = (room: string, body: string, retry: boolean): void => {
    let l = laneOf.get(room);
    if (l === undefined) laneOf.set(room, (l = laneOf.size % live.length));
    const lane = live[l];
    const failed = () => {
      if (retry && !live.includes(lane)) send(room, body, false);
      else target.publishErrors++;
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: lane.port,
        path: '/api/publish',
        method: 'POST',
        agent: lane.agent,
        headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (answer += chunk));
        res.on('end', () => {
          // Centrifugo answers API errors with 200 and {"error":...}.
          if (res.statusCode !== 200 || answer.startsWith('{"error"')) failed();
        });
      },
    );
    req.on('error', failed);
    req.end(body);
  };

  const target: Centrifugo = {
    name: 'centrifugo',
    version: '',
    recovery: newRecoveryStats(),
    recovering,
    publishErrors: 0,

    async start(o: StartOptions) {
      const centrifugo = centrifugoBinary();
      if (!existsSync(centrifugo)) throw new Error(`Centrifugo ${centrifugoVersion()} is not built: ${installHint}`);
      const redis = await side.startRedis(o);
      apiKey = randomBytes(16).toString('hex');
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const name = `centrifugo-${i + 1}`;
        const config = join(o.dir, `${name}.json`);
        writeFileSync(config, JSON.stringify(centrifugoConfig({ port, redisUrl: side.redisUrl, apiKey }), null, 2));
        side.servers.push(
          await spawnService({
            name,
            command: centrifugo,
            args: ['--config', config],
            ready: READY,
            wrap: side.wrap,
          }),
        );
        wsUrls.push(`ws://127.0.0.1:${port}/connection/websocket`);
        ports.push(port);
      }

      // An agent with one socket sends its queued requests one after another, in order. Lanes
      // alternate between the nodes, and rooms take lanes in turn.
      for (let l = 0; l < LANES; l++)
        for (const port of ports) lanes.push({ port, agent: new Agent({ keepAlive: true, maxSockets: 1 }) });
      live = lanes;
      const version = execFileSync(centrifugo, ['version']).toString().trim();
      target.version = `${version}, JSON client protocol over ws ${wsVersion()}, Redis ${redisVersion(redis)}`;
    },

    rooms(count) {
      const prefix = recovering ? `${NAMESPACE}:` : '';
      return Promise.resolve(Array.from({ length: count }, () => `${prefix}room-${made++}`));
    },

    clientSpec: () => wsUrls,
    attach(spec) {
      wsUrls = spec as string[];
    },

    subscribe(o) {
      let subscription: Subscription | undefined;
      const made = subscribeCentrifugo({
        urls: wsUrls,
        server: o.server,
        channel: o.room,
        onMessage: o.onMessage,
        localAddress: o.localAddress,
        onClose: o.onClose,
        stats: target.recovery,
        ended: () => subscription && subscriptions.delete(subscription),
      });
      return made.then((s) => {
        subscriptions.add((subscription = s));
        return s;
      });
    },

    publish(room, payload) {
      send(room, JSON.stringify({ channel: room, data: payload }), true);
    },

    serverPids: () => side.pids(),
    socketServerPids: () => side.socketPids(),

    async terminate(server) {
      // Out of the API rotation first, as a deploy drains a node from its load balancer.
      live = live.filter((lane) => lane.port !== ports[server]);
      laneOf.clear();
      await side.terminate(server);
    },

    async stop() {
      // Recovering clients would otherwise go on reconnecting to nodes that are gone.
      for (const s of subscriptions) s.close();
      subscriptions.clear();
      for (const lane of lanes) lane.agent.destroy();
      await side.stop();
      wsUrls = [];
      ports = [];
      lanes = [];
      live = [];
      laneOf.clear();
    },
  };
  return target;
}

export default createCentrifugo;

import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort, spawnService } from '../../scripts/stack/services.js';
import {
  MAX_RECONNECTS,
  Confirmation,
  installHint,
  newRecoveryStats,
  peerSource,
  peerVersion,
  peersDir,
  redisVersion,
  requirePeer,
  retryDelayMs,
  ServerSide,
  type Listener,
  type PeerOptions,
  type PeerTarget,
} from '../peers/peers.js';
import type { StartOptions, Subscription } from '../target.js';

/**
 * Centrifugo v6 with its Redis engine: two nodes behind one Redis. Clients connect anonymously
 * (no JWT: `client.allow_anonymous_connect_without_token` and `allow_subscribe_for_anonymous`,
 * chosen so the generator spends nothing on tokens) with centrifuge-js, Centrifugo's JavaScript
 * client, over WebSocket. Payloads go through Centrifugo's HTTP server API, one POST /api/publish
 * per payload (no batching), on keep-alive connections: `LANES` per node, each one request at a
 * time, every room always on the same lane. So a room's payloads stay in order, as a publisher
 * that needs order must keep them (concurrent requests overtake one another), while rooms go
 * in parallel over both nodes. A payload travels as a JSON string (`data` is the payload's
 * text), so the client hands back exactly the string published, as socket.io-client does.
 *
 * With `recovery`, rooms are in the `rec` namespace, which keeps history and forces recovery;
 * without it, channels keep no history (Centrifugo's default), which is what fan-out measures.
 *
 * When the Go module proxy refuses Centrifugo (bench/peers/install.sh records why in
 * centrifugo.unavailable), this runs the labelled stand-in bench/peers/centrifuge-peer instead:
 * the centrifuge library Centrifugo is built on, with its Redis broker, the same endpoints and the
 * same API. `standIn` says so and `version` names it; it is not Centrifugo.
 */
export type Centrifugo = PeerTarget & {
  /** True when the stand-in runs because Centrifugo itself could not be built. */
  standIn: boolean;
  /** Why Centrifugo itself is missing (centrifugo.unavailable), when it is. */
  unavailable?: string;
  /** HTTP API publishes that failed (refused, or answered with an error). */
  publishErrors: number;
};

/** The parts of centrifuge-js used here. */
type CentrifugeSubscription = { on(event: string, l: Listener): unknown; subscribe(): void };
type CentrifugeClient = {
  on(event: string, l: Listener): unknown;
  newSubscription(channel: string): CentrifugeSubscription;
  connect(): void;
  disconnect(): void;
  // Internals moved attempt by attempt, as peers.ts `retryDelayMs` says (see subscribe).
  _endpoint: string;
  _config: { minReconnectDelay: number; maxReconnectDelay: number };
};
type CentrifugeCtor = new (endpoint: string, opts: Record<string, unknown>) => CentrifugeClient;

const NAMESPACE = 'rec';
/** Keep-alive connections per node for the HTTP API, one request at a time each. */
const LANES = 16;
const HISTORY_SIZE = 1000;
const HISTORY_TTL = '300s';

/** Centrifugo v6's configuration for one node (the stand-in takes the same facts as flags). */
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

/** The centrifuge library version the stand-in is built with, from its go.mod. */
const standInLibrary = (): string =>
  /github\.com\/centrifugal\/centrifuge (v\S+)/.exec(readFileSync(peerSource('centrifuge-peer/go.mod'), 'utf8'))?.[1] ??
  'unknown';

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
  const clients = new Set<CentrifugeClient>();

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
    standIn: false,
    publishErrors: 0,

    async start(o: StartOptions) {
      const centrifugo = join(peersDir(), 'bin', 'centrifugo');
      const standIn = join(peersDir(), 'bin', 'centrifuge-peer');
      target.standIn = !existsSync(centrifugo);
      const unavailable = join(peersDir(), 'centrifugo.unavailable');
      if (existsSync(unavailable)) target.unavailable = readFileSync(unavailable, 'utf8');
      if (target.standIn && !existsSync(standIn))
        throw new Error(`neither Centrifugo nor its stand-in: ${installHint}`);

      const redis = await side.startRedis(o);
      apiKey = randomBytes(16).toString('hex');
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const name = `centrifugo-${i + 1}`;
        if (target.standIn) {
          const redisAddress = side.redisUrl.replace('redis://', '');
          side.servers.push(
            await spawnService({
              name,
              command: standIn,
              args: ['-addr', `127.0.0.1:${port}`, '-redis', redisAddress, '-api-key', apiKey, '-name', name],
              ready: /^centrifuge-peer listening on/,
              wrap: side.wrap,
            }),
          );
        } else {
          // Centrifugo itself: never run here yet (the proxy refused it), so its ready line is
          // taken loosely: the first line that names its own address.
          const config = join(o.dir, `${name}.json`);
          writeFileSync(config, JSON.stringify(centrifugoConfig({ port, redisUrl: side.redisUrl, apiKey }), null, 2));
          side.servers.push(
            await spawnService({
              name,
              command: centrifugo,
              args: ['--config', config],
              ready: new RegExp(`127\\.0\\.0\\.1:${port}\\b`),
              wrap: side.wrap,
            }),
          );
        }
        wsUrls.push(`ws://127.0.0.1:${port}/connection/websocket`);
        ports.push(port);
      }

      // An agent with one socket sends its queued requests one after another, in order. Lanes
      // alternate between the nodes, and rooms take lanes in turn.
      for (let l = 0; l < LANES; l++)
        for (const port of ports) lanes.push({ port, agent: new Agent({ keepAlive: true, maxSockets: 1 }) });
      live = lanes;

      const server = target.standIn
        ? `centrifuge-peer, a stand-in: NOT Centrifugo (Centrifugo v6 could not be built here) but ` +
          `github.com/centrifugal/centrifuge ${standInLibrary()}, the library Centrifugo is built on, with its Redis broker`
        : `Centrifugo ${execFileSync(centrifugo, ['version']).toString().trim()}`;
      target.version = `${server}, centrifuge-js ${peerVersion('centrifuge')}, Redis ${redisVersion(redis)}`;
    },

    rooms(count) {
      const prefix = recovering ? `${NAMESPACE}:` : '';
      return Promise.resolve(Array.from({ length: count }, () => `${prefix}room-${made++}`));
    },

    subscribe(o) {
      const { Centrifuge } = requirePeer<{ Centrifuge: CentrifugeCtor }>('centrifuge');
      const recover = o.onClose !== undefined;
      let server = o.server;
      let ended = false;
      let failures = 0;
      let current: WebSocket | undefined;
      const track = (ws: WebSocket) => (current = ws);

      /**
       * Every connection attempt makes one of these, which tells the loss of a connection from a
       * failed attempt. Its close listener runs before centrifuge-js's own, which schedules the
       * next attempt: so the address and delay for that attempt are set here first.
       */
      class BenchSocket extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { localAddress: o.localAddress, perMessageDeflate: false });
          track(this);
          let opened = false;
          this.once('open', () => {
            opened = true;
            failures = 0;
          });
          this.once('close', (code: number) => {
            if (ended) return;
            if (!confirmation.confirmed) return confirmation.fail(new Error(`connection closed (${code})`));
            if (!recover) {
              ended = true;
              clients.delete(client);
              return client.disconnect();
            }
            if (opened) {
              target.recovery.lost++;
              o.onClose!(code);
            } else if (++failures >= MAX_RECONNECTS) {
              ended = true;
              target.recovery.gaveUp++;
              clients.delete(client);
              return client.disconnect();
            } else server = (server + 1) % wsUrls.length;
            client._endpoint = wsUrls[server]!;
            client._config.minReconnectDelay = client._config.maxReconnectDelay = retryDelayMs(failures);
          });
        }
      }

      const client = new Centrifuge(wsUrls[server], {
        websocket: BenchSocket,
        minReconnectDelay: 0,
        maxReconnectDelay: 0,
      });
      clients.add(client);
      const confirmation = new Confirmation(`centrifugo ${o.room}`, target.recovery, () => {
        ended = true;
        clients.delete(client);
        client.disconnect();
      });
      const sub = client.newSubscription(o.room);
      sub.on('publication', (ctx: { data: string }) => o.onMessage(ctx.data));

      const subscription: Subscription = {
        close(abrupt = false) {
          if (!abrupt || !recover) {
            ended = true;
            clients.delete(client);
          }
          if (abrupt) current?.terminate();
          if (ended) client.disconnect();
        },
      };
      sub.on('error', (ctx: { error: { message: string } }) => confirmation.fail(new Error(ctx.error.message)));
      sub.on('subscribed', (ctx: { wasRecovering: boolean; recovered: boolean }) =>
        confirmation.confirm(ctx.wasRecovering && ctx.recovered, subscription),
      );
      sub.subscribe();
      client.connect();
      return confirmation.promise;
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
      for (const c of clients) c.disconnect();
      clients.clear();
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

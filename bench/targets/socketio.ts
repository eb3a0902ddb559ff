import { freePort, spawnService } from '../../scripts/stack/services.js';
import {
  MAX_RECONNECTS,
  RETRY_MS,
  Confirmation,
  newRecoveryStats,
  peerSource,
  peerVersion,
  peersDir,
  requirePeer,
  redisVersion,
  retryDelayMs,
  ServerSide,
  type Listener,
  type PeerOptions,
  type PeerTarget,
} from '../peers/peers.js';
import type { StartOptions, Subscription } from '../target.js';

/**
 * Socket.IO 4 as a user would run it for this job: two Node processes (bench/peers/socketio-server.mjs)
 * behind one Redis, WebSocket transport only, clients in rooms. Publishing goes through
 * @socket.io/redis-emitter, the package Socket.IO provides for emitting from another process;
 * subscribers are socket.io-client with `transports: ['websocket']`. Every peer package comes
 * from the peers folder (bench/peers/install.sh), never from the project's dependencies.
 *
 * With `recovery`, connection state recovery is on. @socket.io/redis-adapter cannot restore a
 * session, so the servers then use @socket.io/redis-streams-adapter, the one Socket.IO documents
 * for recovery; the emitter does not speak to it, so payloads are emitted by a Socket.IO server
 * instance in this process that serves no clients, with the same adapter (Socket.IO's way to
 * emit from elsewhere when there is no emitter).
 *
 * A recovering subscription reconnects as our relays' sockets do (peers.ts `retryDelayMs`), by
 * moving the client's manager to the other server's address when its own fails; whether the
 * server restored the session is counted in `recovery`.
 */
export type Socketio = PeerTarget;

/** The parts of socket.io-client, the emitter and node-redis these targets use. */
type Manager = {
  uri: string;
  engine?: { transport?: { ws?: { _socket?: { destroy(): void } } } };
  on(event: string, listener: Listener): unknown;
  reconnection(on: boolean): unknown;
  reconnectionDelay(ms: number): unknown;
};
type ClientSocket = {
  io: Manager;
  on(event: string, listener: Listener): unknown;
  disconnect(): unknown;
};
type Io = (uri: string, opts: Record<string, unknown>) => ClientSocket;
type Broadcaster = { to(room: string): { emit(event: string, payload: string): unknown } };
type RedisClient = { connect(): Promise<unknown>; quit(): Promise<unknown>; on(e: string, l: Listener): unknown };

const EVENT = 'm';

export function createSocketio(options: PeerOptions = {}): Socketio {
  const recovering = options.recovery ?? false;
  const side = new ServerSide();
  let urls: string[] = [];
  let publisher: Broadcaster | undefined;
  let closePublisher = (): Promise<void> => Promise.resolve();
  const clients = new Set<ClientSocket>();
  let made = 0;

  const target: Socketio = {
    name: 'socketio',
    version: '',
    recovery: newRecoveryStats(),
    recovering,

    async start(o: StartOptions) {
      const redis = await side.startRedis(o);
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        side.servers.push(
          await spawnService({
            name: `socketio-${i + 1}`,
            command: process.execPath,
            args: [peerSource('socketio-server.mjs')],
            env: {
              PEERS_DIR: peersDir(),
              PORT: String(port),
              REDIS_URL: side.redisUrl,
              RECOVERY: recovering ? '1' : '0',
            },
            ready: /^socketio listening on/,
            wrap: side.wrap,
          }),
        );
        urls.push(`ws://127.0.0.1:${port}`);
      }

      const { createClient } = requirePeer<{ createClient(this: void, o: { url: string }): RedisClient }>('redis');
      const client = createClient({ url: side.redisUrl });
      client.on('error', () => undefined);
      await client.connect();
      if (recovering) {
        type Publisher = Broadcaster & { of(nsp: string): { adapter: { close(): unknown } } };
        const { Server } = requirePeer<{ Server: new (o: object) => Publisher }>('socket.io');
        const { createAdapter } = requirePeer<{ createAdapter(this: void, c: RedisClient): unknown }>(
          '@socket.io/redis-streams-adapter',
        );
        const io = new Server({ adapter: createAdapter(client) });
        publisher = io;
        // Not attached to an HTTP server, it has no engine for `close()` to stop: its adapter goes alone.
        closePublisher = async () => {
          await io.of('/').adapter.close();
          await client.quit();
        };
      } else {
        const { Emitter } = requirePeer<{ Emitter: new (c: RedisClient) => Broadcaster }>('@socket.io/redis-emitter');
        publisher = new Emitter(client);
        closePublisher = async () => void (await client.quit());
      }

      const adapter = recovering
        ? `@socket.io/redis-streams-adapter ${peerVersion('@socket.io/redis-streams-adapter')} (connection state recovery on)`
        : `@socket.io/redis-adapter ${peerVersion('@socket.io/redis-adapter')}, @socket.io/redis-emitter ${peerVersion('@socket.io/redis-emitter')}`;
      target.version =
        `socket.io ${peerVersion('socket.io')}, ${adapter}, socket.io-client ${peerVersion('socket.io-client')}, ` +
        `redis (node-redis) ${peerVersion('redis')}, Node ${process.version}, Redis ${redisVersion(redis)}`;
    },

    rooms(count) {
      return Promise.resolve(Array.from({ length: count }, () => `room-${made++}`));
    },

    clientSpec: () => urls,
    attach(spec) {
      urls = spec as string[];
    },

    subscribe(o) {
      const { io } = requirePeer<{ io: Io }>('socket.io-client');
      const recover = o.onClose !== undefined;
      let server = o.server;
      let ended = false;
      const socket = io(urls[server], {
        transports: ['websocket'],
        query: { room: o.room },
        forceNew: true,
        localAddress: o.localAddress,
        reconnection: recover,
        reconnectionAttempts: MAX_RECONNECTS,
        // Delays are set attempt by attempt below; the bounds make the backoff take them as they are.
        reconnectionDelay: 0,
        reconnectionDelayMax: RETRY_MS,
        randomizationFactor: 0,
      });
      clients.add(socket);
      const manager = socket.io;
      socket.on(EVENT, (payload: string) => o.onMessage(payload));

      if (recover) {
        socket.on('disconnect', (reason: string, details?: { context?: { code?: number } }) => {
          if (ended || reason === 'io client disconnect') return;
          target.recovery.lost++;
          o.onClose!(details?.context?.code ?? 1006);
        });
        // Attempt k follows k - 1 failures: move to the other server after each failure, and set
        // the delay of the attempt after this one (the manager computes it before it says why).
        manager.on('reconnect_attempt', (attempt: number) => {
          if (attempt > 1) {
            server = (server + 1) % urls.length;
            manager.uri = urls[server]!;
          }
          manager.reconnectionDelay(retryDelayMs(attempt));
        });
        manager.on('reconnect', () => manager.reconnectionDelay(0));
        manager.on('reconnect_failed', () => {
          target.recovery.gaveUp++;
          clients.delete(socket);
        });
      }

      const confirmation = new Confirmation(`socket.io ${o.room}`, target.recovery, () => {
        ended = true;
        manager.reconnection(false);
        socket.disconnect();
        clients.delete(socket);
      });
      const subscription: Subscription = {
        close(abrupt = false) {
          if (!abrupt || !recover) {
            ended = true;
            manager.reconnection(false);
            clients.delete(socket);
          }
          const raw = abrupt ? manager.engine?.transport?.ws?._socket : undefined;
          if (raw) raw.destroy();
          else socket.disconnect();
        },
      };
      socket.on('connect_error', (err: Error) => confirmation.fail(err));
      socket.on('joined', (info: { recovered: boolean }) => confirmation.confirm(info.recovered, subscription));
      return confirmation.promise;
    },

    publish(room, payload) {
      publisher!.to(room).emit(EVENT, payload);
    },

    serverPids: () => side.pids(),
    socketServerPids: () => side.socketPids(),
    terminate: (server) => side.terminate(server),

    async stop() {
      // Recovering clients would otherwise go on reconnecting to servers that are gone.
      for (const socket of clients) {
        socket.io.reconnection(false);
        socket.disconnect();
      }
      clients.clear();
      await closePublisher().catch(() => undefined);
      await side.stop();
      urls = [];
    },
  };
  return target;
}

export default createSocketio;

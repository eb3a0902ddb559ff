import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort, projectRoot, startRedis, type Service } from '../../scripts/stack/services.js';
import type { StartOptions, Subscription, Target } from '../target.js';

/**
 * Where the peer systems live and how the targets load them. bench/peers/install.sh puts them
 * outside the project's dependencies; the targets load them from there at run time, so that no
 * peer ever becomes a dependency of the product.
 */
export const peersDir = (): string =>
  process.env.BENCH_PEERS ?? join(process.env.LILA_CACHE ?? join(homedir(), '.cache', 'lila-ts'), 'bench-peers');

export const installHint = 'run `bash bench/peers/install.sh` first';

/** A package of the peers folder, as CommonJS `require` gives it. */
export function requirePeer<T>(name: string): T {
  const manifest = join(peersDir(), 'package.json');
  if (!existsSync(manifest)) throw new Error(`bench peers are not installed in ${peersDir()}: ${installHint}`);
  return createRequire(manifest)(name) as T;
}

/** The installed version of a package of the peers folder. */
export function peerVersion(name: string): string {
  const file = join(peersDir(), 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** A file of bench/peers in the source tree (scripts run from dist/ as from source). */
export const peerSource = (file: string): string => join(projectRoot, 'bench', 'peers', file);

/**
 * A peer's server side: one redis-server on a free loopback port and the two socket servers
 * behind it, all under `taskset -c <serverCpus>`, in the run's folder, which goes at the end.
 */
export class ServerSide {
  redis?: Service;
  redisUrl = '';
  servers: Service[] = [];
  wrap: string[] = [];
  private dir = '';

  async startRedis(o: StartOptions): Promise<Service> {
    this.dir = o.dir;
    mkdirSync(o.dir, { recursive: true });
    this.wrap = ['taskset', '-c', o.serverCpus];
    const port = await freePort();
    this.redis = await startRedis(port, join(o.dir, 'redis'), undefined, this.wrap);
    this.redisUrl = `redis://127.0.0.1:${port}`;
    return this.redis;
  }

  /** Those still running, Redis included (`Target.serverPids`). */
  pids(): number[] {
    const all = [...this.servers, ...(this.redis ? [this.redis] : [])];
    return all.filter((s) => s.process.exitCode === null && s.process.signalCode === null).map((s) => s.process.pid!);
  }

  /** The two socket servers (`Target.socketServerPids`). */
  socketPids(): number[] {
    return this.servers.map((s) => s.process.pid!);
  }

  async terminate(server: number): Promise<void> {
    await this.servers[server]?.stop('SIGTERM');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.servers, ...(this.redis ? [this.redis] : [])].map((s) => s.stop('SIGKILL')));
    this.servers = [];
    this.redis = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Redis's version, from what it printed when it started. */
export const redisVersion = (redis: Service): string =>
  /Redis version=([\d.]+)/.exec(redis.output.join('\n'))?.[1] ?? 'unknown';

/**
 * How a recovering subscription comes back after a loss, the same for every target as for our
 * relays' sockets (bench/load/watch-socket.ts): at once to its own server, then after each failed
 * attempt to the other server, at once after an odd number of failures and after a short pause
 * after an even one (a pause per round of both servers); given up after `MAX_RECONNECTS` attempts.
 */
export const MAX_RECONNECTS = 100;
export const RETRY_MS = 100;

/** The delay before the attempt that follows `failures` failed ones since the loss. */
export const retryDelayMs = (failures: number): number => (failures > 0 && failures % 2 === 0 ? RETRY_MS : 0);

/** What recovering subscriptions went through, for the report. */
export type RecoveryStats = {
  /** Connections lost while recovering subscriptions held them. */
  lost: number;
  /** Reconnections whose missed payloads the server replayed. */
  recovered: number;
  /** Reconnections the server could not recover (a fresh subscription: payloads meanwhile lost). */
  notRecovered: number;
  /** Subscriptions that gave up after `MAX_RECONNECTS` failed attempts. */
  gaveUp: number;
};

/** What both peer targets add to `Target`; `createX({ recovery: true })` turns recovery on. */
export type PeerOptions = { recovery?: boolean };
export type PeerTarget = Target & {
  /** Whether recovery is on (Socket.IO: connection state recovery; Centrifugo: history). */
  recovering: boolean;
  recovery: RecoveryStats;
  /** The two socket servers' pids, by `server` index (Redis left out). */
  socketServerPids(): number[];
  /** A deploy: SIGTERM to socket server `server`; resolves once it has exited. */
  terminate(server: number): Promise<void>;
};

/** A listener of a peer library's event emitter, whatever its arguments. */
export type Listener = (...args: never[]) => void;

export const newRecoveryStats = (): RecoveryStats => ({ lost: 0, recovered: 0, notRecovered: 0, gaveUp: 0 });

/** A `subscribe` that never confirms is a bench bug, not a measurement: bounded. */
export const SUBSCRIBE_TIMEOUT_MS = 30_000;

/**
 * The server's confirmations of one subscription: the first resolves `subscribe`, and each one
 * after it ends a reconnection, counted as recovered or not. A failure before the first, or
 * `SUBSCRIBE_TIMEOUT_MS` without one, rejects it after `cleanup` has ended the client.
 */
export class Confirmation {
  readonly promise: Promise<Subscription>;
  private state: 'pending' | 'confirmed' | 'failed' = 'pending';
  private settle!: { resolve: (s: Subscription) => void; reject: (e: Error) => void };
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly what: string,
    private readonly stats: RecoveryStats,
    private readonly cleanup: () => void,
  ) {
    this.promise = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.timer = setTimeout(
      () => this.fail(new Error(`no confirmation in ${SUBSCRIBE_TIMEOUT_MS} ms`)),
      SUBSCRIBE_TIMEOUT_MS,
    );
  }

  get confirmed(): boolean {
    return this.state === 'confirmed';
  }

  confirm(recovered: boolean, subscription: Subscription): void {
    if (this.state === 'confirmed') {
      if (recovered) this.stats.recovered++;
      else this.stats.notRecovered++;
    } else if (this.state === 'pending') {
      this.state = 'confirmed';
      clearTimeout(this.timer);
      this.settle.resolve(subscription);
    }
  }

  fail(err: Error): void {
    if (this.state !== 'pending') return;
    this.state = 'failed';
    clearTimeout(this.timer);
    this.cleanup();
    this.settle.reject(new Error(`${this.what}: ${err.message}`));
  }
}

import { Redis } from 'ioredis';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Room } from '../../protocol/channels.js';
import { encodeCoreOut } from '../../protocol/wire.js';
import {
  freePort,
  projectRoot,
  startFerretdb,
  startNode,
  startRedis,
  type Service,
} from '../../scripts/stack/services.js';
import { callJson, inBatches } from '../load/http.js';
import { openGameSocket } from '../load/player.js';
import { versioned, watch, type RecoveryStats } from '../load/watch-socket.js';
import type { StartOptions, Target } from '../target.js';

/**
 * Our stack as `npm start` runs it (redis-server, FerretDB, lila-core, two relays; nginx left out:
 * sockets go straight to the relays), every process under `taskset`. Rooms are real games made
 * through lila-core's HTTP API; subscribers are /watch sockets.
 *
 * A publish is what lila-core does for a game event: a Redis PUBLISH on `game:<id>` of a CoreOut
 * header and the frame. Events are versioned as lila-core versions them (from the game's version,
 * 0 for a new game), so that the relays' history serves a socket coming back with `?v=`; the
 * subscriber takes the version off again, and `onMessage` sees the payload as published.
 *
 * `BENCH_DB_TMPFS=1` keeps FerretDB's files in /dev/shm (the moves scenario's second variant).
 * `BENCH_RELAY_PROF=<dir>` runs the relays with `--cpu-prof` into that folder (written when
 * they stop, which is then done with SIGTERM).
 */
export type Game = { id: string; white: string; black: string };

export type Ours = Target & {
  httpUrl: string;
  relayUrls: string[];
  redisUrl: string;
  /** The `taskset` prefix of every server process, for a process that must run beside them. */
  serverWrap: string[];
  /** An arena that starts now and lasts an hour, made by one of the accounts: its id. */
  tournament(): Promise<string>;
  /** `count` games between players who hold tokens (white anonymous, black from a few accounts). */
  games(count: number): Promise<Game[]>;
  recovery: RecoveryStats;
  /** Warnings and errors the servers logged so far, counted by process and message. */
  diagnostics(): Record<string, number>;
};

const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';
/**
 * Games started at once: lila-core answers a move only once it is saved, and past 3 s without an
 * answer relays send it again, which a busy core only gets busier from.
 */
const START_WIDTH = 8;
/** A clock no move-less bench will run out of. */
const CLOCK = { limit: 3600, increment: 10 };

/** `version` of the project ('.') or of one of its packages. */
const packageVersion = (pkg: string): string => {
  const file = pkg === '.' ? join(projectRoot, 'package.json') : join(projectRoot, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
};

export function createOurs(): Ours {
  const services: Service[] = [];
  let relays: Service[] = [];
  let redis: Redis | undefined;
  let dir = '';
  const versions = new Map<string, number>();
  let accounts: { id: string; token: string }[] = [];
  let made = 0;
  const cleanups: (() => void)[] = [];

  /**
   * Both sides move once, as players do within seconds of a game's start: a game without moves
   * is aborted after its first-move limit, and that event (written, published) would land in the
   * middle of a measurement. The room's version is then the black move's.
   */
  const opened = async (game: Game): Promise<void> => {
    for (const [token, u] of [
      [game.white, 'e2e4'],
      [game.black, 'e7e5'],
    ] as const) {
      const socket = await openGameSocket(`${target.relayUrls[0]}/play/${game.id}?token=${token}`);
      await socket.until((f) => f.t === 'state', 30_000);
      socket.send({ t: 'move', d: { u, a: 1 } });
      const moved = await socket.until((f) => f.t === 'move' && (f.d as { uci?: string }).uci === u, 30_000);
      await socket.until((f) => f.t === 'ack', 30_000);
      versions.set(game.id, moved.v!);
      socket.close();
    }
  };

  const target: Ours = {
    name: 'ours',
    version: '',
    recovery: { lost: 0, recovered: 0, notRecovered: 0, gaveUp: 0 },
    httpUrl: '',
    relayUrls: [],
    redisUrl: '',
    serverWrap: [],

    async start(o: StartOptions) {
      dir = o.dir;
      mkdirSync(dir, { recursive: true });
      const wrap = ['taskset', '-c', o.serverCpus];
      target.serverWrap = wrap;
      const [redisPort, mongoPort, corePort] = [await freePort(), await freePort(), await freePort()];
      const redisUrl = `redis://127.0.0.1:${redisPort}`;
      target.redisUrl = redisUrl;
      const common = {
        REDIS_URL: redisUrl,
        MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/lila`,
        DATA_DIR: dir,
        SESSION_SECRET: SECRET,
        LOG_LEVEL: 'info',
      };
      const track = (s: Service) => (services.push(s), s);
      track(await startRedis(redisPort, join(dir, 'redis'), undefined, wrap));
      // BENCH_DB_TMPFS: FerretDB's files in memory, to tell the disk's share of a move's cost from the rest.
      const dbDir = process.env.BENCH_DB_TMPFS ? mkdtempSync('/dev/shm/bench-ferretdb-') : join(dir, 'ferretdb');
      if (dbDir !== join(dir, 'ferretdb')) cleanups.push(() => rmSync(dbDir, { recursive: true, force: true }));
      track(await startFerretdb(mongoPort, dbDir, undefined, wrap));
      track(await startNode('core', { ...common, PORT: String(corePort) }, undefined, 'core', wrap));
      const prof = process.env.BENCH_RELAY_PROF;
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const env = {
          ...common,
          PORT: String(port),
          RELAY_ID: `relay-${i + 1}`,
          // Bots move faster than any person: the benchmark measures the game server, not the relay's limits.
          RATE_LIMIT_FACTOR: '1000',
        };
        const nodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
        relays.push(track(await startNode('relay', env, undefined, `relay-${i + 1}`, wrap, nodeArgs)));
        target.relayUrls.push(`ws://127.0.0.1:${port}`);
      }
      target.httpUrl = `http://127.0.0.1:${corePort}`;
      redis = new Redis(redisUrl, { enableAutoPipelining: true, lazyConnect: true });
      await redis.connect();
      const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
      target.version = `lila-ts ${packageVersion('.')}, uWebSockets.js ${packageVersion('uWebSockets.js')}, Node ${process.version}, Redis ${redisVersion}, FerretDB 1.24.2`;
      accounts = await inBatches(4, 4, async (i) => {
        const name = `bench${i}${Math.random().toString(36).slice(2, 8)}`;
        await callJson(`${target.httpUrl}/api/account`, { body: { name, password: 'bench-pass' }, expect: 201 });
        const s = await callJson<{ token: string; user: { id: string } }>(`${target.httpUrl}/api/session`, {
          body: { name, password: 'bench-pass' },
          expect: 201,
        });
        return { id: s.user.id, token: s.token };
      });
    },

    async games(count) {
      return inBatches(count, 32, async () => {
        const white = await callJson<{ token: string }>(`${target.httpUrl}/api/session`, { body: {}, expect: 201 });
        const black = accounts[made++ % accounts.length];
        const { challenge } = await callJson<{ challenge: { id: string } }>(
          `${target.httpUrl}/api/challenge/${black.id}`,
          { body: { clock: CLOCK, color: 'white' }, token: white.token, expect: 201 },
        );
        const { game } = await callJson<{ game: { id: string; v: number } }>(
          `${target.httpUrl}/api/challenge/${challenge.id}/accept`,
          { body: {}, token: black.token, expect: 201 },
        );
        versions.set(game.id, game.v);
        return { id: game.id, white: white.token, black: black.token };
      });
    },

    async tournament() {
      const { tournament } = await callJson<{ tournament: { id: string } }>(`${target.httpUrl}/api/tournament`, {
        body: { name: 'bench arena', clock: { limit: 180, increment: 0 }, minutes: 60 },
        token: accounts[0].token,
        expect: 201,
      });
      return tournament.id;
    },

    async rooms(count) {
      // Each game started as soon as it is made: a game waiting its turn would meet its first-move limit.
      const games = await inBatches(count, START_WIDTH, async () => {
        const [game] = await target.games(1);
        await opened(game);
        return game.id;
      });
      return games;
    },

    clientSpec: () => target.relayUrls,
    attach(spec) {
      target.relayUrls = spec as string[];
    },

    subscribe(o) {
      return watch({ ...o, relayUrls: target.relayUrls, gameId: o.room, stats: target.recovery });
    },

    publish(room, payload) {
      const v = (versions.get(room) ?? 0) + 1;
      versions.set(room, v);
      void redis!
        .publish(Room.game(room), encodeCoreOut({ t: 'room', v }, versioned(v, payload)))
        .catch(() => undefined);
    },

    diagnostics() {
      const counts: Record<string, number> = {};
      for (const s of services)
        for (const line of s.output) {
          const m = /"level":([4-6]0).*"msg":"([^"]*)"/.exec(line);
          if (m) counts[`${s.name}: ${m[2]}`] = (counts[`${s.name}: ${m[2]}`] ?? 0) + 1;
        }
      return counts;
    },

    serverPids: () => services.filter((s) => s.process.exitCode === null).map((s) => s.process.pid!),
    socketServerPids: () => relays.map((s) => s.process.pid!),

    async terminate(server) {
      await relays[server]?.stop('SIGTERM');
    },

    async stop() {
      redis?.disconnect();
      // With profiles, relays must exit on their own to write them.
      if (process.env.BENCH_RELAY_PROF) await Promise.all(relays.map((s) => s.stop('SIGTERM')));
      await Promise.all(services.map((s) => s.stop('SIGKILL')));
      relays = [];
      rmSync(dir, { recursive: true, force: true });
      cleanups.forEach((c) => c());
    },
  };
  return target;
}

export default createOurs;

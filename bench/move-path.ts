import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretdb, startNode, startRedis, type Service } from '../scripts/stack/services.js';
import { createBot, openingLines } from './load/bot.js';
import { callJson, inBatches } from './load/http.js';
import { openGameSocket, type Frame, type GameSocket } from './load/player.js';

/**
 * The CPU a move costs each server process, on a real stack as scripts/stack/stack.ts starts it
 * (redis-server, FerretDB, lila-core, two relays, on free ports; unpinned). G games of two bots,
 * white on one relay and black on the other, play real opening lines then random moves, each
 * game one move at a time (a move the moment its player saw the previous one, or with `--rate`
 * no sooner than the game's share of that rate allows). After a warm-up, each process's CPU time
 * over a window is divided by the moves acked meanwhile: unlike a rate, it stays comparable on a
 * machine shared with other work. Not part of `npm run bench`: a tool for profiling the move path.
 *
 *   node dist/bench/move-path.js [--games 100] [--seconds 10] [--rate 300] [--spectators 0] [--prof DIR]
 *
 * `--prof DIR`: lila-core and the relays run under `node --cpu-prof` into DIR (written as they
 * stop, with SIGTERM); their CPU figures then include the profiler's own.
 */
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const GAMES = Number(arg('games', '100'));
const SECONDS = Number(arg('seconds', '10'));
const RATE = Number(arg('rate', '0'));
const SPECTATORS = Number(arg('spectators', '0'));
const PROF = arg('prof', '');
const WARMUP_MS = 2000;
const SECRET = 'move-path-secret-0123456789-abcdefghij';
/** A clock no game of the run can run out of. */
const CLOCK = { limit: 3600, increment: 10 };

/** CPU nanoseconds a process has run so far: every thread's, from /proc/<pid>/task/<tid>/schedstat. */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`))
    total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  return total;
}

async function makeGames(httpUrl: string, count: number) {
  const accounts = await inBatches(4, 4, async (i) => {
    const name = `mp${i}${Math.random().toString(36).slice(2, 8)}`;
    await callJson(`${httpUrl}/api/account`, { body: { name, password: 'bench-pass' }, expect: 201 });
    const s = await callJson<{ token: string; user: { id: string } }>(`${httpUrl}/api/session`, {
      body: { name, password: 'bench-pass' },
      expect: 201,
    });
    return { id: s.user.id, token: s.token };
  });
  return inBatches(count, 16, async (i) => {
    const white = await callJson<{ token: string }>(`${httpUrl}/api/session`, { body: {}, expect: 201 });
    const black = accounts[i % accounts.length];
    const { challenge } = await callJson<{ challenge: { id: string } }>(`${httpUrl}/api/challenge/${black.id}`, {
      body: { clock: CLOCK, color: 'white' },
      token: white.token,
      expect: 201,
    });
    const { game } = await callJson<{ game: { id: string } }>(`${httpUrl}/api/challenge/${challenge.id}/accept`, {
      body: {},
      token: black.token,
      expect: 201,
    });
    return { id: game.id, white: white.token, black: black.token };
  });
}

/** Plays every game, one move in flight each; returns the counters the measurement reads. */
async function play(games: { id: string; white: string; black: string }[], relays: string[]) {
  const lines = openingLines();
  const counts = { acks: 0, errors: 0, ended: 0 };
  const sockets: GameSocket[] = [];
  const starts: (() => void)[] = [];
  const interval = RATE ? (games.length * 1000) / RATE : 0;
  await inBatches(games.length, 16, async (g) => {
    const game = games[g];
    const bot = createBot(lines[(g * 7) % lines.length]);
    const white = await openGameSocket(`${relays[0]}/play/${game.id}?token=${game.white}`);
    const black = await openGameSocket(`${relays[1]}/play/${game.id}?token=${game.black}`);
    sockets.push(white, black);
    for (let s = 0; s < SPECTATORS; s++) sockets.push(await openGameSocket(`${relays[s % 2]}/watch/${game.id}`));
    let next = 1;
    let over = false;
    let due = 0;
    const send = () => {
      const uci = bot.next();
      if (uci === undefined) return void (over = true);
      (next % 2 === 1 ? white : black).send({ t: 'move', d: { u: uci, a: next } });
      next++;
    };
    const sendWhenDue = () => {
      const now = performance.now();
      due = Math.max(due + interval, now);
      if (due <= now) return send();
      setTimeout(send, due - now);
    };
    const player = (color: 'white' | 'black') => (f: Frame) => {
      if (f.t === 'ack') counts.acks++;
      if (f.t === 'error') counts.errors++;
      if (f.t === 'end') counts.ended++;
      if (f.t === 'error' || f.t === 'end') over = true;
      else if (f.t === 'move' && !over) {
        const ply = (f.d as { ply: number }).ply;
        if ((ply % 2 === 1 ? 'white' : 'black') !== color && ply === next - 1) sendWhenDue();
      }
    };
    white.onFrame(player('white'));
    black.onFrame(player('black'));
    starts.push(
      () => ((due = performance.now() + (interval * g) / games.length), setTimeout(send, due - performance.now())),
    );
  });
  starts.forEach((start) => start());
  return { counts, sockets };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'move-path-'));
  const services: Service[] = [];
  const track = (s: Service) => (services.push(s), s);
  const nodeArgs = PROF ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`] : [];
  if (PROF) mkdirSync(PROF, { recursive: true });
  try {
    const [redisPort, mongoPort, corePort] = [await freePort(), await freePort(), await freePort()];
    const common = {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      MONGO_URL: `mongodb://127.0.0.1:${mongoPort}/lila`,
      SESSION_SECRET: SECRET,
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      SCRYPT_N: '16384',
    };
    const redis = track(await startRedis(redisPort, join(dir, 'redis')));
    track(await startFerretdb(mongoPort, join(dir, 'ferretdb')));
    const core = track(await startNode('core', { ...common, PORT: String(corePort) }, undefined, 'core', [], nodeArgs));
    const relays: Service[] = [];
    const relayUrls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      // Bots move faster than people: the relay's per-socket limits are not what is measured.
      const env = { ...common, PORT: String(port), RELAY_ID: `relay-${i + 1}`, RATE_LIMIT_FACTOR: '1000' };
      relays.push(track(await startNode('relay', env, undefined, `relay-${i + 1}`, [], nodeArgs)));
      relayUrls.push(`ws://127.0.0.1:${port}`);
    }
    const games = await makeGames(`http://127.0.0.1:${corePort}`, GAMES);
    const { counts, sockets } = await play(games, relayUrls);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const procs: [string, Service][] = [
      ['lila-core', core],
      ...relays.map((r, i): [string, Service] => [`relay-${i + 1}`, r]),
      ['redis', redis],
    ];
    const cpu0 = procs.map(([, s]) => cpuNs(s.process.pid!));
    const [acks0, t0] = [counts.acks, performance.now()];
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const moves = counts.acks - acks0;
    const seconds = (performance.now() - t0) / 1000;
    const perMove = procs.map(([name, s], i) => [name, (cpuNs(s.process.pid!) - cpu0[i]) / 1000 / moves] as const);
    const relayUs = perMove.filter(([n]) => n.startsWith('relay')).reduce((a, [, us]) => a + us, 0);
    const result = {
      games: games.length,
      spectators: SPECTATORS,
      rate: RATE || 'closed loop',
      moves,
      movesPerSecond: Math.round(moves / seconds),
      errors: counts.errors,
      ended: counts.ended,
      cpuMicrosPerMove: {
        ...Object.fromEntries(perMove.map(([n, us]) => [n, Math.round(us)])),
        relays: Math.round(relayUs),
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const logged: Record<string, number> = {};
    for (const s of services)
      for (const line of s.output) {
        const msg = `${s.name}: ${/"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 60)}`;
        logged[msg] = (logged[msg] ?? 0) + 1;
      }
    process.stdout.write(`logged (last 2,000 lines of each): ${JSON.stringify(logged)}\n`);
    sockets.forEach((s) => s.close());
    // Profiles are written as Node exits on its own.
    if (PROF) await Promise.all([core, ...relays].map((s) => s.stop('SIGTERM')));
  } finally {
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

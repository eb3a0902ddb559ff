import { createBot, openingLines } from '../load/bot.js';
import { measureFloor, type Floor } from '../load/floor.js';
import { Histogram, type LatencySummary } from '../load/histogram.js';
import { inBatches } from '../load/http.js';
import { openGameSocket, type Frame, type GameSocket } from '../load/player.js';
import { byName, cpuMeter } from '../load/proc.js';
import type { Ours } from '../targets/ours.js';
import { sleep, waitFor, type Scenario } from './types.js';

/**
 * Game moves end to end, ours only: G games of two bots replaying real opening lines (then random
 * legal moves), each on a different relay, with spectators. A first step plays as fast as the core
 * answers (each move the moment its player saw the previous one): the core's sustained rate of
 * validated, persisted moves, S. Then steps play moves on a fixed schedule at 10%, 50% and 90% of
 * S (a move due while its player has not yet seen the opponent's waits, and its latency counts
 * from when it was due). Last, the floor (load/floor.ts): two raw Redis pub/sub hops and one
 * journal append, alone, on the same cores: issue #16 asks p99 ≤ 2× the floor's at 50% of S.
 */
export type MovesStep = {
  /** Moves per second aimed at (undefined: as fast as possible), sent, and acked (saved). */
  target?: number;
  /** The aim as a share of the sustained rate (0.1, 0.5, 0.9). */
  share?: number;
  sentPerSecond: number;
  persistedPerSecond: number;
  /** From the move's due time to its receipt by the opponent, the spectators, and its ack to the mover. */
  opponent: LatencySummary;
  spectators: LatencySummary;
  ack: LatencySummary;
  errors: number;
  serverCpu: number;
  generatorCpu: number;
  /** Other processes of the machine meanwhile (cores): noise in the measurement. */
  otherCpu: number;
  byProcess: Record<string, number>;
  /** lila-core's own timing of its MongoDB writes in the step: count and mean (ms). */
  mongoWrites?: { count: number; meanMs: number };
  holds: boolean;
};

export type MovesResult = {
  games: number;
  spectatorsPerGame: number;
  lines: number;
  failed: number;
  /** The fixed-rate steps, then the closed-loop one (last, as the report reads them). */
  steps: MovesStep[];
  /** The closed-loop step's persisted moves per second. */
  sustained: number;
  /** Two Redis hops and one journal append, alone, measured in the same run. */
  floor?: Floor;
  /** The highest fixed rate whose p99 (opponent's receipt) stayed within 5 ms, and within 50 ms. */
  within5ms?: number;
  within50ms?: number;
  endedGames: number;
};

/**
 * Enough games that the closed loop is bound by the core, not by each game's one move in flight
 * (at 20 ms a round trip, 200 games allow 10,000 moves/s).
 */
const SHAPE = {
  quick: { games: 120, spectators: 2, stepMs: 4000, floorSamples: 500 },
  full: { games: 300, spectators: 2, stepMs: 10_000, floorSamples: 3000 },
};
/** The fixed rates, as shares of the sustained one. */
const SHARES = [0.1, 0.5, 0.9];
/** A fixed-rate step fails when the core acks less than this share of the aim, or p99 passes a second. */
const KEEPS_UP = 0.85;
const P99_GIVE_UP_MS = 1000;

type Run = {
  id: string;
  bot: ReturnType<typeof createBot>;
  white: GameSocket;
  black: GameSocket;
  /** The ply each player's socket saw last. */
  seen: { white: number; black: number };
  /** The ply to send next (1-based) and when it is due. */
  next: number;
  due: number;
  sentAt: number[];
  over: boolean;
};

async function mongoWrites(httpUrl: string): Promise<{ sum: number; count: number } | undefined> {
  try {
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    const sum = /^lila_core_mongo_write_seconds_sum (\S+)/m.exec(text)?.[1];
    const count = /^lila_core_mongo_write_seconds_count (\S+)/m.exec(text)?.[1];
    return sum && count ? { sum: Number(sum), count: Number(count) } : undefined;
  } catch {
    return undefined;
  }
}

export const moves: Scenario<MovesResult> = {
  name: 'moves',
  title: 'Game moves end to end',
  only: ['ours'],
  async run({ target: t, mode, progress }) {
    const target = t as Ours;
    const shape = SHAPE[mode];
    const lines = openingLines();
    if (!lines.length) throw new Error('no opening lines in ../shared/data/openings');
    progress(`creating ${shape.games} games`);
    const games = await target.games(shape.games);
    let failed = 0;
    let ended = 0;
    let errors = 0;
    let acks = 0;
    let sent = 0;
    const histograms = () => ({ opponent: new Histogram(), spectators: new Histogram(), ack: new Histogram() });
    let h = histograms();
    const spectators: GameSocket[] = [];
    let closedLoop = false;
    const [relayA, relayB] = target.relayUrls as [string, string];

    const send = (run: Run, now: number) => {
      const uci = run.bot.next();
      if (uci === undefined) return void (run.over = true);
      run.sentAt[run.next] = closedLoop ? now : run.due;
      (run.next % 2 === 1 ? run.white : run.black).send({ t: 'move', d: { u: uci, a: run.next } });
      run.next++;
      sent++;
    };
    const mayMove = (run: Run) =>
      !run.over && (run.next === 1 || run.seen[run.next % 2 === 1 ? 'white' : 'black'] >= run.next - 1);

    progress(`opening ${shape.games * (2 + shape.spectators)} sockets`);
    const runs: Run[] = [];
    await inBatches(games.length, 20, async (g) => {
      const game = games[g];
      try {
        const white = await openGameSocket(`${relayA}/play/${game.id}?token=${game.white}`);
        const black = await openGameSocket(`${relayB}/play/${game.id}?token=${game.black}`);
        const run: Run = {
          id: game.id,
          bot: createBot(lines[(g * 7) % lines.length]),
          white,
          black,
          seen: { white: 0, black: 0 },
          next: 1,
          due: 0,
          sentAt: [],
          over: false,
        };
        const player = (color: 'white' | 'black') => (f: Frame, at: number) => {
          if (f.t === 'move') {
            const ply = (f.d as { ply: number }).ply;
            run.seen[color] = ply;
            const mover = ply % 2 === 1 ? 'white' : 'black';
            if (mover !== color && run.sentAt[ply] !== undefined) h.opponent.record(at - run.sentAt[ply]);
            if (closedLoop && mover !== color && mayMove(run)) send(run, at);
          } else if (f.t === 'ack') {
            const a = f.d as number;
            acks++;
            if (run.sentAt[a] !== undefined) h.ack.record(at - run.sentAt[a]);
          } else if (f.t === 'error') {
            errors++;
            run.over = true;
          } else if (f.t === 'end') {
            if (!run.over) ended++;
            run.over = true;
          }
        };
        white.onFrame(player('white'));
        black.onFrame(player('black'));
        for (let s = 0; s < shape.spectators; s++) {
          const spectator = await openGameSocket(`${s % 2 ? relayB : relayA}/watch/${game.id}`);
          spectators.push(spectator);
          spectator.onFrame((f, at) => {
            const ply = f.t === 'move' ? (f.d as { ply: number }).ply : undefined;
            if (ply !== undefined && run.sentAt[ply] !== undefined) h.spectators.record(at - run.sentAt[ply]);
          });
        }
        runs.push(run);
      } catch {
        failed++;
      }
    });
    await sleep(500);

    const steps: MovesStep[] = [];
    const step = async (rate: number | undefined, share?: number): Promise<MovesStep> => {
      closedLoop = rate === undefined;
      h = histograms();
      const [acks0, sent0, errors0] = [acks, sent, errors];
      const writes0 = await mongoWrites(target.httpUrl);
      const meter = cpuMeter(() => target.serverPids());
      const t0 = performance.now();
      const interval = rate ? (runs.length * 1000) / rate : 0;
      runs.forEach((run, g) => (run.due = t0 + (interval * g) / runs.length));
      if (closedLoop) runs.forEach((run) => mayMove(run) && send(run, t0));
      else
        while (performance.now() - t0 < shape.stepMs) {
          const now = performance.now();
          for (const run of runs)
            while (run.due <= now && mayMove(run)) {
              send(run, now);
              run.due += interval;
            }
          await sleep(1);
        }
      if (closedLoop) await sleep(shape.stepMs);
      const seconds = (performance.now() - t0) / 1000;
      closedLoop = false;
      const persisted = acks - acks0;
      // The moves still in flight are answered before the next step starts.
      await waitFor(() => acks >= sent, 5000);
      const cpu = meter();
      const writes1 = await mongoWrites(target.httpUrl);
      const opponent = h.opponent.summary();
      const holds = rate === undefined || (persisted / seconds >= rate * KEEPS_UP && opponent.p99 <= P99_GIVE_UP_MS);
      return {
        target: rate,
        ...(share === undefined ? {} : { share }),
        sentPerSecond: (sent - sent0) / seconds,
        persistedPerSecond: persisted / seconds,
        opponent,
        spectators: h.spectators.summary(),
        ack: h.ack.summary(),
        errors: errors - errors0,
        serverCpu: cpu.servers,
        generatorCpu: cpu.generator,
        otherCpu: cpu.others,
        byProcess: byName(cpu.perProcess),
        mongoWrites:
          writes0 && writes1
            ? {
                count: writes1.count - writes0.count,
                meanMs: (1000 * (writes1.sum - writes0.sum)) / Math.max(1, writes1.count - writes0.count),
              }
            : undefined,
        holds,
      };
    };

    progress('as fast as the core answers');
    const sustained = await step(undefined);
    progress(
      `sustained: ${sustained.persistedPerSecond.toFixed(0)} persisted moves/s, ` +
        `server cpu ${(sustained.serverCpu * 100).toFixed(0)}%`,
    );
    for (const share of SHARES) {
      const rate = Math.max(1, Math.round(sustained.persistedPerSecond * share));
      progress(`${rate} moves/s (${share * 100}% of sustained)`);
      const s = await step(rate, share);
      steps.push(s);
      progress(
        `${rate} moves/s: ${s.persistedPerSecond.toFixed(0)} saved/s, opponent p50 ${s.opponent.p50.toFixed(1)} ` +
          `p99 ${s.opponent.p99.toFixed(1)} ms, server cpu ${(s.serverCpu * 100).toFixed(0)}%`,
      );
    }
    steps.push(sustained);
    for (const socket of [...runs.flatMap((run) => [run.white, run.black]), ...spectators]) socket.close();
    progress('floor: two Redis hops and one journal append, alone');
    const floor = await measureFloor({ samples: shape.floorSamples, pinnedLike: target.serverPids()[0] });
    progress(`floor: p50 ${floor.p50.toFixed(2)} p99 ${floor.p99.toFixed(2)} ms`);
    const fixed = steps.filter((s) => s.target !== undefined && s.holds);
    return {
      games: runs.length,
      spectatorsPerGame: shape.spectators,
      lines: lines.length,
      failed,
      steps,
      sustained: sustained.persistedPerSecond,
      floor,
      within5ms: fixed.filter((s) => s.opponent.p99 <= 5).at(-1)?.target,
      within50ms: fixed.filter((s) => s.opponent.p99 <= 50).at(-1)?.target,
      endedGames: ended,
    };
  },
};

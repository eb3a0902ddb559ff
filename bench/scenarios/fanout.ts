import { Histogram, type HistogramJson, type LatencySummary } from '../load/histogram.js';
import { makePayload, readPayload } from '../load/payload.js';
import { byName, cpuMeter } from '../load/proc.js';
import { openLoop } from '../load/schedule.js';
import { closeAll, openSeats, seatsFor } from '../load/subscribers.js';
import { sleep, waitFor, type Scenario } from './types.js';

/**
 * Fan-out: rooms shaped like lichess's, games of 2 players and k spectators plus one lobby of many
 * sockets, and events published on a fixed schedule at a rate stepped up until the p99 latency
 * passes 50 ms (or events go missing, or the generator itself saturates its core). A warm-up step
 * comes first, unrecorded; a failed step is run once more before it ends the ramp.
 */
export type FanoutStep = {
  /** Deliveries per second the step aimed at, and what the schedule published. */
  target: number;
  publishPerSecond: number;
  deliveriesPerSecond: number;
  expected: number;
  delivered: number;
  latency: LatencySummary;
  histogram: HistogramJson;
  /** Share of one core: all server processes, and the generator. */
  serverCpu: number;
  generatorCpu: number;
  /** Other processes of the machine meanwhile (cores): noise in the measurement. */
  otherCpu: number;
  /** The generator (one core) was saturated: the figures say more about it than the server. */
  clientBound: boolean;
  /** How late the schedule ran at worst (ms). */
  scheduleLagMs: number;
  /** Server CPU by process name, and the kernel's part of it (system time). */
  byProcess: Record<string, number>;
  systemByProcess?: Record<string, number>;
  holds: boolean;
  /** A failed step that was run again (the retry follows it). */
  retried?: boolean;
};

export type FanoutResult = {
  shape: { games: number; perGame: number; lobby: number; lobbyShare: number; sockets: number };
  failed: number;
  firstError?: string;
  steps: FanoutStep[];
  /** The highest step that held: deliveries per second, and whether it was client-bound. */
  saturation: { deliveriesPerSecond: number; clientBound: boolean; stoppedBy: string };
};

const P99_LIMIT_MS = 50;
const SHAPE = {
  quick: { games: 60, perGame: 6, lobby: 400, lobbyEvery: 50, stepMs: 2500, drainMs: 1500, first: 1000, growth: 1.6 },
  // A lobby event reaches every lobby socket in one burst: the last of 2,000 alone waited past 50 ms here.
  full: {
    games: 500,
    perGame: 10,
    lobby: 1000,
    lobbyEvery: 100,
    stepMs: 10_000,
    drainMs: 4000,
    first: 1000,
    growth: 1.35,
  },
};
const MAX_STEPS = 20;
/** Past this share of its core the generator's own queueing shows in the latencies. */
const CLIENT_BOUND_CPU = 0.8;

export const fanout: Scenario<FanoutResult> = {
  name: 'fanout',
  title: 'Fan-out',
  async run({ target, mode, progress, addresses }) {
    const shape = SHAPE[mode];
    progress(`creating ${shape.games + 1} rooms`);
    const rooms = await target.rooms(shape.games + 1);
    const lobby = rooms[shape.games];
    const games = rooms.slice(0, shape.games);
    const sizes = rooms.map((_, r) => (r === shape.games ? shape.lobby : shape.perGame));
    const sockets = sizes.reduce((a, b) => a + b, 0);
    const histograms: Histogram[] = [];
    const received: number[] = [];
    progress(`opening ${sockets} sockets`);
    const opened = await openSeats(
      target,
      seatsFor(rooms, (r) => sizes[r]),
      {
        width: 200,
        addresses,
        onMessage: (_seat, payload) => {
          const now = performance.now();
          const stamp = readPayload(payload);
          if (!stamp) return;
          histograms[stamp.step]?.record(now - stamp.at);
          received[stamp.step]++;
        },
      },
    );
    // Deliveries expected per publish, room by room: the sockets that opened.
    const live = new Map<string, number>();
    seatsFor(rooms, (r) => sizes[r]).forEach((seat, i) => {
      if (opened.subs[i]) live.set(seat.room, (live.get(seat.room) ?? 0) + 1);
    });
    const perPublish = ((shape.lobbyEvery - 1) * shape.perGame + shape.lobby) / shape.lobbyEvery;
    await sleep(1000);

    /** One step at `rate` deliveries/s; `k` numbers every step run (warm-up and retries too). */
    let k = 0;
    const runStep = async (rate: number): Promise<FanoutStep> => {
      const step = k++;
      const publishRate = rate / perPublish;
      histograms[step] = new Histogram();
      received[step] = 0;
      let expected = 0;
      let cursor = 0;
      const meter = cpuMeter(() => target.serverPids());
      const { sent, maxLagMs } = await openLoop(publishRate, shape.stepMs, (i, at) => {
        const room = i % shape.lobbyEvery === shape.lobbyEvery - 1 ? lobby : games[cursor++ % games.length];
        expected += live.get(room) ?? 0;
        target.publish(room, makePayload(step, i, at));
      });
      await waitFor(() => received[step] >= expected, shape.drainMs);
      const cpu = meter();
      const h = histograms[step];
      const latency = h.summary();
      const delivered = received[step];
      const complete = delivered >= expected * 0.999;
      // Late stragglers of this step must not count in the next one's CPU.
      await sleep(300);
      return {
        target: rate,
        publishPerSecond: (sent * 1000) / shape.stepMs,
        deliveriesPerSecond: (delivered * 1000) / shape.stepMs,
        expected,
        delivered,
        latency,
        histogram: h.toJSON(),
        serverCpu: cpu.servers,
        generatorCpu: cpu.generator,
        otherCpu: cpu.others,
        byProcess: byName(cpu.perProcess),
        systemByProcess: byName(cpu.systemPerProcess),
        clientBound: cpu.generator >= CLIENT_BOUND_CPU,
        scheduleLagMs: maxLagMs,
        holds: complete && latency.p99 <= P99_LIMIT_MS,
      };
    };
    const say = (s: FanoutStep, label: string) =>
      progress(
        `${label}: p50 ${s.latency.p50.toFixed(2)} p99 ${s.latency.p99.toFixed(2)} ms, ` +
          `${((100 * s.delivered) / Math.max(1, s.expected)).toFixed(2)}% delivered, ` +
          `server cpu ${(s.serverCpu * 100).toFixed(0)}%, generator ${(s.generatorCpu * 100).toFixed(0)}%`,
      );

    // Cold code paths (JIT, first buffers) on either side are not the server's steady state.
    progress(`warm-up: ${shape.first} deliveries/s`);
    say(await runStep(shape.first), 'warm-up');
    const steps: FanoutStep[] = [];
    let stoppedBy = `the last step (${MAX_STEPS})`;
    let rate = shape.first;
    for (let n = 1; n <= MAX_STEPS; n++, rate = Math.round(rate * shape.growth)) {
      progress(`step ${n}: ${rate} deliveries/s (${Math.round(rate / perPublish)} publishes/s)`);
      let s = await runStep(rate);
      say(s, `step ${n}`);
      // One bad step may be a hiccup of a shared machine: it is run again once before it counts.
      if (!s.holds) {
        steps.push({ ...s, retried: true });
        progress(`step ${n} again`);
        s = await runStep(rate);
        say(s, `step ${n} again`);
      }
      steps.push(s);
      if (!s.holds) {
        stoppedBy = s.delivered < s.expected * 0.999 ? 'events missing' : `p99 over ${P99_LIMIT_MS} ms`;
        if (s.clientBound) stoppedBy += ', the generator saturated';
        break;
      }
      if (s.clientBound) {
        stoppedBy = 'the generator saturated its core';
        break;
      }
    }
    await closeAll(opened.subs);
    const best = steps.filter((s) => s.holds).at(-1);
    const lastRun = steps.at(-1);
    return {
      shape: {
        games: shape.games,
        perGame: shape.perGame,
        lobby: shape.lobby,
        lobbyShare: 1 / shape.lobbyEvery,
        sockets,
      },
      failed: opened.failed,
      firstError: opened.firstError,
      steps,
      saturation: {
        deliveriesPerSecond: best?.deliveriesPerSecond ?? 0,
        clientBound: (best?.clientBound ?? false) || (lastRun?.clientBound ?? false),
        stoppedBy,
      },
    };
  },
};

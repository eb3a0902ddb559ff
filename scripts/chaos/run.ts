import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing } from '../../client/index.js';
import { Api, type Player } from '../fuzz/api.js';
import { gameProblems } from '../fuzz/invariants.js';
import { openingLines } from '../fuzz/run.js';
import { Counter } from '../fuzz/tally.js';
import { spectatorVerdict, Watcher } from '../fuzz/watcher.js';
import { alive, launchOnFreePorts, type Launcher, type LauncherPorts } from '../stack/launcher.js';
import { ChaosBots } from './bots.js';
import { moveVerdict } from './checks.js';
import { firstAfter, HealthWatch, until } from './heal.js';
import { judgeMemory, MEMORY_RULE, MemorySampler, type MemoryVerdict } from './memory.js';
import { faultSchedule, type Fault } from './schedule.js';

/**
 * The chaos run: `npm start`'s launcher on free ports, bots playing through its nginx with the
 * reconnecting client, and a seeded schedule of SIGKILL and SIGTERM to a random relay, lila-core,
 * Redis or FerretDB every few seconds. Then every game is read back and checked: no acknowledged
 * move lost, none played twice, none stuck, spectators' versions contiguous, memory bounded.
 */
export type ChaosOptions = {
  seed: number;
  /** How long faults are injected. */
  faultMs: number;
  /** Bots play this long before the first fault. */
  warmupMs: number;
  /** Bot games at once. */
  pairs: number;
  /** Between two faults. */
  minGapMs: number;
  maxGapMs: number;
  /** The bots' client timings (lichess's by default). */
  timing?: Partial<Timing>;
  /** The launcher's output goes there, line by line. */
  logFile: string;
  log: (line: string) => void;
};

export type FaultOutcome = {
  fault: Fault;
  /** The target was already down (killed and not started again yet): nothing sent. */
  skipped?: boolean;
  /** Fault → the launcher started it again, → every /health 200, → the bots' next ack after that start. */
  restartMs?: number;
  healthMs?: number;
  ackMs?: number;
};

export type ChaosReport = {
  seed: number;
  faultSeconds: number;
  outcomes: FaultOutcome[];
  games: number;
  movesAcked: number;
  lost: string[];
  twice: string[];
  stuck: string[];
  versions: { watched: number; resumedBehind: number; problems: string[] };
  /** Saved games that are not a legal replay of their moves (scripts/fuzz/invariants.ts). */
  replay: string[];
  reconnects: { bots: number; spectators: number };
  resyncs: number;
  errors: Counter;
  memory: MemoryVerdict[];
  /** Anything else wrong: the launcher died, the stack never healed, a bot failed. */
  problems: string[];
  logFile: string;
  ok: boolean;
};

const RELAYS = 2;
const HEAL_TIMEOUT_MS = 120_000;

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const dir = mkdtempSync(join(tmpdir(), 'lila-chaos-'));
  const { launcher, ports } = await launchOnFreePorts(dir, {}, RELAYS);
  const logFile = createWriteStream(o.logFile);
  launcher.onLine((line) => logFile.write(`${new Date().toISOString()} ${line}\n`));
  const problems: string[] = [];
  let stopping = false;
  void launcher.exited.then((code) => !stopping && problems.push(`the launcher exited (${code})`));
  try {
    await launcher.line(/^lila-ts is up/, 90_000);
    return await chaos(o, launcher, ports, problems);
  } finally {
    stopping = true;
    await stopLauncher(launcher);
    await new Promise((resolve) => logFile.end(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function chaos(
  o: ChaosOptions,
  launcher: Launcher,
  ports: LauncherPorts,
  problems: string[],
): Promise<ChaosReport> {
  const edge = `http://127.0.0.1:${ports.nginx}`;
  const api = new Api(edge);
  const players = await Promise.all(Array.from({ length: o.pairs * 2 }, () => api.account('chaos')));

  const health = new HealthWatch(() => [
    `${edge}/health`,
    `http://127.0.0.1:${ports.core}/health`,
    ...ports.relays.map((p) => `http://127.0.0.1:${p}/health`),
  ]);
  health.start();
  const current = (name: string) => launcher.pids.get(name)?.at(-1);
  const memory = new MemorySampler(() => [
    ...[...launcher.pids.keys()].map((name) => ({ name, pid: current(name)!, group: true })),
    // The launcher shares this process's group: its own pid alone.
    { name: 'launcher', pid: launcher.child.pid!, group: false },
  ]);
  memory.start();

  const watchers = new Map<string, Watcher>();
  const watching: Promise<void>[] = [];
  const socketBase = edge.replace(/^http/, 'ws');
  const bots = new ChaosBots({
    api,
    socketBase,
    seed: o.seed,
    pairs: Array.from({ length: o.pairs }, (_, i) => [players[2 * i], players[2 * i + 1]] as [Player, Player]),
    lines: openingLines(),
    timing: o.timing,
    started: (id) => {
      const watcher = new Watcher(id, () => socketBase);
      watchers.set(id, watcher);
      watcher.start();
    },
    ended: (id) => {
      const watcher = watchers.get(id)!;
      // Its players saw the end: the spectator must too, then it leaves (or the relays would hold every game's room).
      watching.push(
        watcher.end(HEAL_TIMEOUT_MS).then(async (seen) => {
          if (!seen)
            problems.push(`${id}: the spectator never saw the end (last v ${watcher.lastV}; ${watcher.describe()})`);
          await watcher.settled();
          watcher.stop();
        }),
      );
    },
  });
  bots.start();
  o.log(`seed ${o.seed}: ${o.pairs} bot games at once through nginx; warm-up ${o.warmupMs / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, o.warmupMs));

  const schedule = faultSchedule({
    seed: o.seed,
    durationMs: o.faultMs,
    minGapMs: o.minGapMs,
    maxGapMs: o.maxGapMs,
    relays: RELAYS,
  });
  const faultsFrom = Date.now();
  o.log(`${schedule.length} faults over ${o.faultMs / 1000} s…`);
  const measuring: Promise<FaultOutcome>[] = [];
  const progress = setInterval(() => {
    const done = measuring.length;
    o.log(
      `  ${Math.round((Date.now() - faultsFrom) / 1000)} s: ${done} faults, ${bots.ackTimes.length} moves acked, ` +
        `${bots.games.length} games, /health ${health.last.join(' ')}`,
    );
  }, 30_000);
  for (const fault of schedule) {
    const wait = faultsFrom + fault.atMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (problems.some((p) => p.startsWith('the launcher exited'))) break;
    // Measured until it heals, however long the faults after it keep the stack down.
    measuring.push(
      inject(fault, launcher, health, bots.ackTimes, faultsFrom + o.faultMs + HEAL_TIMEOUT_MS - Date.now()),
    );
  }
  clearInterval(progress);
  const faultsTo = Date.now();
  o.log('faults over; waiting for every fault to heal, then the bots resign every game…');
  const outcomes = await Promise.all(measuring);
  for (const outcome of outcomes)
    if (!outcome.skipped && (outcome.healthMs === undefined || outcome.ackMs === undefined))
      problems.push(
        `${describeFault(outcome.fault)} did not heal within ${HEAL_TIMEOUT_MS / 1000} s of the last fault: ${JSON.stringify(outcome)}`,
      );
  if ((await health.healthyAfter(Date.now(), HEAL_TIMEOUT_MS)) === undefined)
    problems.push(`never healthy again after the faults: /health ${health.last.join(' ')}`);

  await bots.finish(HEAL_TIMEOUT_MS);
  await Promise.all(watching);
  watchers.forEach((watcher) => watcher.stop());
  memory.stop();
  health.stop();
  problems.push(...bots.problems);

  o.log(`reading ${bots.games.length} games…`);
  const lost: string[] = [];
  const twice: string[] = [];
  const stuck: string[] = [];
  const replay: string[] = [];
  const versions = { watched: watchers.size, resumedBehind: 0, problems: [] as string[] };
  for (const game of bots.games) {
    const saved = await api.gameJson(game.id).catch((err: Error) => void problems.push(`${game.id}: ${err.message}`));
    if (!saved) continue;
    const verdict = moveVerdict(game, saved);
    lost.push(...verdict.lost);
    twice.push(...verdict.twice);
    if (verdict.stuck) stuck.push(verdict.stuck);
    replay.push(...gameProblems(saved).map((p) => `${game.id}: ${p}`));
    const watcher = watchers.get(game.id);
    if (watcher) {
      const spectator = spectatorVerdict(saved, watcher);
      versions.problems.push(...spectator.problems);
      if (spectator.resumedBehind) versions.resumedBehind++;
    }
  }

  const memoryVerdicts = judgeMemory(memory.samples, { ...MEMORY_RULE, fromMs: faultsFrom, toMs: faultsTo });
  const report: ChaosReport = {
    seed: o.seed,
    faultSeconds: (faultsTo - faultsFrom) / 1000,
    outcomes,
    games: bots.games.length,
    movesAcked: bots.ackTimes.length,
    lost,
    twice,
    stuck,
    versions,
    replay,
    reconnects: { bots: bots.reconnects, spectators: [...watchers.values()].reduce((n, w) => n + w.reconnects, 0) },
    resyncs: bots.resyncs,
    errors: bots.errors,
    memory: memoryVerdicts,
    problems,
    logFile: o.logFile,
    ok: false,
  };
  report.ok =
    !lost.length &&
    !twice.length &&
    !stuck.length &&
    !replay.length &&
    !versions.problems.length &&
    !problems.length &&
    memoryVerdicts.every((m) => m.bounded) &&
    report.movesAcked > 0;
  return report;
}

export const describeFault = (f: Fault): string => `${f.signal} to ${f.target} at ${(f.atMs / 1000).toFixed(1)} s`;

/**
 * Sends the fault's signal to the target's current pid, then measures how long until the
 * launcher has started it again, every /health answers 200, and a bot's move is acknowledged.
 */
async function inject(
  fault: Fault,
  launcher: Launcher,
  health: HealthWatch,
  ackTimes: readonly number[],
  timeoutMs: number,
): Promise<FaultOutcome> {
  const pid = launcher.pids.get(fault.target)?.at(-1);
  if (pid === undefined || !alive(pid)) return { fault, skipped: true };
  const at = Date.now();
  try {
    process.kill(pid, fault.signal);
  } catch {
    return { fault, skipped: true };
  }
  const restarted = await until(() => launcher.pids.get(fault.target)?.at(-1) !== pid, timeoutMs);
  if (!restarted) return { fault };
  const restartedAt = Date.now();
  const [healthyAt, ackAt] = await Promise.all([
    health.healthyAfter(restartedAt, timeoutMs - (restartedAt - at)),
    firstAfter(ackTimes, restartedAt, timeoutMs - (restartedAt - at)),
  ]);
  return {
    fault,
    restartMs: restartedAt - at,
    healthMs: healthyAt === undefined ? undefined : healthyAt - at,
    ackMs: ackAt === undefined ? undefined : ackAt - at,
  };
}

/** SIGTERM, as Ctrl-C would (the stack stops in order); whatever is left after 30 s is killed. */
async function stopLauncher(launcher: Launcher): Promise<void> {
  if (launcher.child.exitCode === null && launcher.child.signalCode === null) {
    launcher.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([launcher.exited, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
    clearTimeout(timer);
  }
  for (const pid of [...launcher.pids.values()].flat())
    if (alive(pid))
      try {
        // Each child leads a group of its own (nginx's workers are in it).
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone between the check and the kill.
      }
}

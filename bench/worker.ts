import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTarget } from './load/targets.js';
import { SCENARIO_LIST } from './scenarios/index.js';
import type { Mode, ScenarioName } from './scenarios/types.js';
import type { TargetName } from './target.js';

/**
 * One scenario against one target, in a process of its own that run.ts pins to the generator's
 * core: it starts the target (whose servers pin themselves to the server cores), runs the scenario,
 * stops the target, and reports over IPC: `progress` lines, then `result` or `error`.
 */
export type WorkerJob = {
  scenario: ScenarioName;
  target: TargetName;
  mode: Mode;
  serverCpus: string;
  /** `tmpfs`: ours with FerretDB's files in memory (BENCH_DB_TMPFS). */
  variant?: 'tmpfs';
};
export type WorkerMessage =
  { progress: string } | { result: unknown; version: string } | { error: string; version?: string; phase: string };

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
/** Resolves once the message is out: the process may exit right after. */
const send = (m: WorkerMessage) => new Promise<void>((done) => (process.send ? process.send(m, () => done()) : done()));
const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 1}`);

async function main(): Promise<void> {
  if (job.variant === 'tmpfs') process.env.BENCH_DB_TMPFS = '1';
  const scenario = SCENARIO_LIST.find((s) => s.name === job.scenario);
  if (!scenario) throw new Error(`no scenario ${job.scenario}`);
  let phase = 'load';
  const target = await loadTarget(job.target, { recovery: scenario.recovery ?? false }).catch((err: Error) => {
    void send({ error: err.message, phase }).then(() => process.exit(1));
    return new Promise<never>(() => undefined);
  });
  const unsupported = scenario.unsupported?.(target);
  if (unsupported) {
    await send({ error: unsupported, phase: 'unsupported', version: target.version });
    process.exit(1);
  }
  try {
    phase = 'start';
    void send({ progress: 'starting the servers' });
    await target.start({ serverCpus: job.serverCpus, dir: mkdtempSync(join(tmpdir(), `bench-${job.target}-`)) });
    phase = 'run';
    const result = await scenario.run({
      target,
      mode: job.mode,
      progress: (step) => void send({ progress: step }),
      addresses: ADDRESSES,
    });
    phase = 'stop';
    // What the servers complained of (ours: resent moves, gaps...) and how reconnections went.
    const extra = target as { diagnostics?: () => Record<string, number>; recovery?: unknown };
    const diagnostics = extra.diagnostics?.();
    const recovery = extra.recovery;
    await target.stop();
    await send({ result: { ...(result as object), diagnostics, recovery }, version: target.version });
  } catch (err) {
    await target.stop().catch(() => undefined);
    await send({
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      phase,
      version: target.version,
    });
    process.exitCode = 1;
  }
  // Sockets and timers of the scenario may still hold the loop: the results are out, so leave.
  setTimeout(() => process.exit(), 200);
}

void main();

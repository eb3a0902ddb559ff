import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../scripts/stack/services.js';
import { TARGETS } from './load/targets.js';
import { machineLoad } from './load/proc.js';
import { describeMachine } from './report/machine.js';
import { summariseProfiles } from './report/profile.js';
import { writeReport, type Results, type RunRecord } from './report/write.js';
import { SCENARIO_LIST } from './scenarios/index.js';
import type { Mode, ScenarioName } from './scenarios/types.js';
import type { TargetName } from './target.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

/**
 * `npm run bench [-- --full] [--only idle,fanout] [--targets ours,socketio] [--runs N] [--prof]`
 *
 * Every scenario against every target, each run in a fresh worker process pinned to the
 * generator's core (the servers it starts pin themselves to the server cores), one target after
 * the other within a run so that drift spreads evenly. Raw results go to
 * bench/results/<timestamp>-<mode>.json as they come; a run of the whole suite also writes
 * BENCHMARKS.md and bench/charts/. `--report <results.json>` writes those from a saved run.
 */
type Options = {
  mode: Mode;
  scenarios: ScenarioName[];
  targets: TargetName[];
  runs: number;
  prof: boolean;
  /** `--no-wait`: start each run at once, however busy the machine (a trial run, not a measurement). */
  noWait: boolean;
  report?: string;
  serverCpus: string;
  generatorCpus: string;
};

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = <T extends string>(flag: string, all: readonly T[]): T[] => {
    const v = value(flag);
    if (!v) return [...all];
    const picked = v.split(',') as T[];
    const unknown = picked.filter((p) => !all.includes(p));
    if (unknown.length) throw new Error(`${flag}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
    return picked;
  };
  const mode: Mode = argv.includes('--full') ? 'full' : 'quick';
  return {
    mode,
    scenarios: list(
      '--only',
      SCENARIO_LIST.map((s) => s.name),
    ),
    targets: list('--targets', TARGETS),
    runs: Number(value('--runs') ?? (mode === 'full' ? 3 : 1)),
    prof: argv.includes('--prof'),
    noWait: argv.includes('--no-wait'),
    report: value('--report'),
    serverCpus: value('--server-cpus') ?? '0',
    generatorCpus: value('--generator-cpus') ?? '1',
  };
}

const t0 = performance.now();
const elapsed = () => {
  const s = Math.floor((performance.now() - t0) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

/**
 * Other users of the machine skew every figure: before each run, wait (a minute at most) until
 * the machine is nearly idle; the load found is kept with the run.
 */
async function quiet(label: string, noWait: boolean): Promise<number> {
  let load = await machineLoad(1000);
  for (let waited = 0; !noWait && load > QUIET_CORES && waited < 60; waited += 5) {
    if (waited === 0) say(`${label} · the machine is busy (${load.toFixed(2)} cores): waiting for it to calm down`);
    load = await machineLoad(5000);
  }
  return load;
}
const QUIET_CORES = 0.25;

/** Bounds on one worker: a run never hangs the suite. */
const WORKER_LIMIT_MS = { quick: 240_000, full: 2_400_000 };

function runWorker(
  job: WorkerJob,
  o: Options,
  label: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Omit<RunRecord, 'run'>> {
  const started = performance.now();
  const args = [
    '-c',
    o.generatorCpus,
    process.execPath,
    '--max-old-space-size=8192',
    join(projectRoot, 'dist', 'bench', 'worker.js'),
    JSON.stringify(job),
  ];
  // Its own process group: on a timeout the worker and every server it started go together.
  const child = spawn('taskset', args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true,
    env: { ...process.env, ...env },
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(...d.toString().split('\n').filter(Boolean)));
  let last: WorkerMessage | undefined;
  child.on('message', (m: WorkerMessage) => {
    if ('progress' in m) say(`${label} · ${m.progress}`);
    else last = m;
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
  };
  const timer = setTimeout(() => {
    say(`${label} · over ${WORKER_LIMIT_MS[o.mode] / 1000} s: stopped`);
    killGroup();
  }, WORKER_LIMIT_MS[o.mode]);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Servers the worker could not stop (it crashed) must not outlive it.
      killGroup();
      const seconds = (performance.now() - started) / 1000;
      const base = { scenario: job.scenario, target: job.target, seconds };
      if (last && 'result' in last) return resolve({ ...base, ok: true, result: last.result, version: last.version });
      const why =
        last && 'error' in last
          ? `${last.phase}: ${last.error}`
          : `worker exited (${code ?? signal}) without a result: ${stderr.slice(-5).join(' | ')}`;
      resolve({ ...base, ok: false, error: why, version: last && 'version' in last ? last.version : undefined });
    });
  });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const resultsDir = join(projectRoot, 'bench', 'results');
  if (o.report) {
    const results = JSON.parse(readFileSync(o.report, 'utf8')) as Results;
    await writeReport(results, projectRoot, relative(projectRoot, o.report));
    return say(`BENCHMARKS.md written from ${o.report}`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const file = join(resultsDir, `${stamp}-${o.mode}.json`);
  const argv = process.argv.slice(2).join(' ');
  const results: Results = {
    mode: o.mode,
    startedAt: new Date().toISOString(),
    command: `npm run bench${argv ? ` -- ${argv}` : ''}`,
    machine: describeMachine(),
    pinning: { serverCpus: o.serverCpus, generatorCpus: o.generatorCpus },
    runsPerScenario: o.runs,
    runs: [],
  };
  const save = () => writeFileSync(file, JSON.stringify(results, null, 1) + '\n');
  say(`${o.mode} run: ${o.scenarios.join(', ')} × ${o.targets.join(', ')}, ${o.runs} run(s) each → ${file}`);

  for (const scenario of SCENARIO_LIST.filter((s) => o.scenarios.includes(s.name))) {
    const targets = o.targets.filter((t) => !scenario.only || scenario.only.includes(t));
    // The moves scenario runs ours twice: as npm start keeps its data (disk), and FerretDB on tmpfs.
    const variants = (target: TargetName): (undefined | 'tmpfs')[] =>
      scenario.name === 'moves' && target === 'ours' ? [undefined, 'tmpfs'] : [undefined];
    for (let run = 1; run <= o.runs; run++)
      for (const target of targets)
        for (const variant of variants(target)) {
          const label = `${scenario.name} · ${target}${variant ? ` (${variant})` : ''} · run ${run}/${o.runs}`;
          const job: WorkerJob = { scenario: scenario.name, target, mode: o.mode, serverCpus: o.serverCpus, variant };
          const background = await quiet(label, o.noWait);
          const record = await runWorker(job, o, label);
          results.runs.push({ ...record, run, background, variant });
          say(
            `${label} · ${record.ok ? 'done' : `FAILED (${record.error?.split('\n')[0]})`} in ${record.seconds.toFixed(0)} s`,
          );
          save();
        }
  }

  if (o.prof && o.targets.includes('ours')) {
    const dir = join(resultsDir, `${stamp}-prof`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const label = 'fanout · ours · profiled';
    const job: WorkerJob = { scenario: 'fanout', target: 'ours', mode: o.mode, serverCpus: o.serverCpus };
    const record = await runWorker(job, o, label, { BENCH_RELAY_PROF: dir });
    results.profile = { ok: record.ok, error: record.error, top: existsSync(dir) ? summariseProfiles(dir) : [] };
    rmSync(dir, { recursive: true, force: true });
    say(`${label} · ${record.ok ? 'done' : 'FAILED'}`);
  }

  results.finishedAt = new Date().toISOString();
  save();
  const whole = SCENARIO_LIST.every((s) => o.scenarios.includes(s.name)) && o.targets.length === TARGETS.length;
  if (whole) {
    await writeReport(results, projectRoot, relative(projectRoot, file));
    say(`BENCHMARKS.md and bench/charts/ written`);
  } else say(`partial run: BENCHMARKS.md left as it is (npm run bench -- --report ${file} writes it)`);
}

main().catch((err: Error) => {
  console.error(`bench: ${err.stack ?? err.message}`);
  process.exit(1);
});

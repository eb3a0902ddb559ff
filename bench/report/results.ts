import type { ScenarioName } from '../scenarios/types.js';
import type { TargetName } from '../target.js';
import type { Machine } from './machine.js';
import type { HotFunction } from './profile.js';

/** One worker's outcome: a scenario against a target, one run. */
export type RunRecord = {
  scenario: ScenarioName;
  target: TargetName;
  run: number;
  seconds: number;
  /** Cores the rest of the machine kept busy just before the run. */
  background?: number;
  /** `tmpfs`: ours with FerretDB's files in memory. */
  variant?: 'tmpfs';
  ok: boolean;
  version?: string;
  result?: unknown;
  error?: string;
};

/** A results file, bench/results/<timestamp>-<mode>.json. */
export type Results = {
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt?: string;
  command: string;
  machine: Machine;
  pinning: { serverCpus: string; generatorCpus: string };
  runsPerScenario: number;
  runs: RunRecord[];
  /** The relays' CPU profile during a fan-out run of ours (`--prof`). */
  profile?: { ok: boolean; error?: string; top: HotFunction[] };
};

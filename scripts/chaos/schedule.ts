import { random } from '../fuzz/chess.js';

/**
 * The chaos run's faults, decided before the run from its seed alone: which process, which
 * signal, when. The same seed gives the same schedule, so a run that found something can be run
 * again with the same faults (timing of the rest, the processes' own, still varies). Pure.
 */
export type FaultKind = 'relay' | 'core' | 'redis' | 'ferretdb';
export const FAULT_KINDS: readonly FaultKind[] = ['relay', 'core', 'redis', 'ferretdb'];
export type FaultSignal = 'SIGKILL' | 'SIGTERM';

export type Fault = {
  /** Milliseconds after the start of the faults. */
  atMs: number;
  kind: FaultKind;
  /** The launcher's name for the process: `core`, `redis`, `ferretdb`, `relay-<n>`. */
  target: string;
  signal: FaultSignal;
};

export type ScheduleOptions = {
  seed: number;
  /** Faults go on this long. */
  durationMs: number;
  /** Between two faults: uniformly between these. */
  minGapMs: number;
  maxGapMs: number;
  /** How many relays the stack runs (relay-1 … relay-n). */
  relays: number;
};

export function faultSchedule(o: ScheduleOptions): Fault[] {
  if (o.minGapMs <= 0 || o.maxGapMs < o.minGapMs) throw new Error('gaps: 0 < min ≤ max');
  // Its own stream: the bots' choices, seeded from the same run seed, do not move it.
  const next = random((o.seed ^ 0x0c4a05) >>> 0);
  const faults: Fault[] = [];
  for (let at = gap(next, o); at < o.durationMs; at += gap(next, o)) {
    const kind = FAULT_KINDS[Math.floor(next() * FAULT_KINDS.length)];
    const relay = 1 + Math.floor(next() * o.relays);
    const signal: FaultSignal = next() < 0.5 ? 'SIGKILL' : 'SIGTERM';
    faults.push({ atMs: Math.round(at), kind, target: kind === 'relay' ? `relay-${relay}` : kind, signal });
  }
  return faults;
}

const gap = (next: () => number, o: ScheduleOptions) => o.minGapMs + next() * (o.maxGapMs - o.minGapMs);

import { readdirSync, readFileSync } from 'node:fs';
import { rssKiB } from '../fuzz/observe.js';

/**
 * The processes' memory through a chaos run, and whether any grew without bound.
 *
 * Every few seconds each process's resident memory is read (VmRSS, summed over its process group:
 * the launcher gives each child a group of its own, and nginx's workers are in its master's).
 * A restarted process starts afresh, so a reading counts only once its process has been up a
 * while (`settleMs`, the time to load games and fill caches). The judgement compares the peak of
 * those settled readings in the last third of the measured time with the peak in the first third:
 * memory that grows without bound shows as a later peak above the earlier one by more than
 * `tolerance` (plus `slackKiB`, for small processes whose pages come and go). A process that never
 * stayed up `settleMs` in one of the two windows cannot be judged; that is said, not passed over.
 * Processes never killed (the launcher, nginx) are judged over the whole run that way.
 */
export type MemorySample = { name: string; pid: number; atMs: number; kiB: number };

export type MemoryVerdict = {
  name: string;
  /** Distinct pids seen. */
  incarnations: number;
  firstPeakKiB?: number;
  lastPeakKiB?: number;
  judged: boolean;
  bounded: boolean;
};

export type MemoryRule = { fromMs: number; toMs: number; settleMs: number; tolerance: number; slackKiB: number };

export const MEMORY_RULE = { settleMs: 15_000, tolerance: 0.25, slackKiB: 8 * 1024 };

export function judgeMemory(samples: readonly MemorySample[], rule: MemoryRule): MemoryVerdict[] {
  const firstSeen = new Map<number, number>();
  for (const s of samples) if (!firstSeen.has(s.pid)) firstSeen.set(s.pid, s.atMs);
  const third = (rule.toMs - rule.fromMs) / 3;
  const names = [...new Set(samples.map((s) => s.name))];
  return names.map((name) => {
    const mine = samples.filter((s) => s.name === name);
    const settled = mine.filter((s) => s.atMs - firstSeen.get(s.pid)! >= rule.settleMs);
    const peak = (from: number, to: number) => {
      const inside = settled.filter((s) => s.atMs >= from && s.atMs <= to).map((s) => s.kiB);
      return inside.length ? Math.max(...inside) : undefined;
    };
    const firstPeakKiB = peak(rule.fromMs, rule.fromMs + third);
    const lastPeakKiB = peak(rule.toMs - third, rule.toMs);
    const judged = firstPeakKiB !== undefined && lastPeakKiB !== undefined;
    const bounded = !judged || lastPeakKiB <= firstPeakKiB * (1 + rule.tolerance) + rule.slackKiB;
    return { name, incarnations: new Set(mine.map((s) => s.pid)).size, firstPeakKiB, lastPeakKiB, judged, bounded };
  });
}

/** VmRSS summed by process group (KiB), for the groups asked, in one pass over /proc. */
export function rssByGroup(groups: ReadonlySet<number>): Map<number, number> {
  const sums = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (groups.has(pgrp)) sums.set(pgrp, (sums.get(pgrp) ?? 0) + rssKiB(Number(entry)));
    } catch {
      // The process ended between the listing and the read, or is a kernel thread without VmRSS.
    }
  }
  return sums;
}

/** Reads every process's memory every `everyMs`: `pids()` says which processes there are now. */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: () => { name: string; pid: number; group: boolean }[],
    private readonly everyMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.read(), this.everyMs);
    this.read();
  }

  private read(): void {
    const atMs = Date.now();
    const now = this.pids();
    const groups = rssByGroup(new Set(now.filter((p) => p.group).map((p) => p.pid)));
    for (const { name, pid, group } of now) {
      let kiB = 0;
      try {
        kiB = group ? (groups.get(pid) ?? 0) : rssKiB(pid);
      } catch {
        // Gone (killed, or exiting): no reading.
      }
      if (kiB > 0) this.samples.push({ name, pid, atMs, kiB });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

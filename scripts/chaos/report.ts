import { percentile } from '../fuzz/run.js';
import { Counter } from '../fuzz/tally.js';
import type { ChaosReport, FaultOutcome } from './run.js';

/** The chaos run's figures, and what failed, as lines for a terminal (and the README). */
export type HealFigures = { faults: number; healthP50: number; healthP99: number; ackP50: number; ackP99: number };

export function healFigures(outcomes: readonly FaultOutcome[]): HealFigures {
  const injected = outcomes.filter((o) => !o.skipped);
  const of = (pick: (o: FaultOutcome) => number | undefined) =>
    injected.map(pick).filter((ms): ms is number => ms !== undefined);
  const health = of((o) => o.healthMs);
  const ack = of((o) => o.ackMs);
  return {
    faults: injected.length,
    healthP50: percentile(health, 50),
    healthP99: percentile(health, 99),
    ackP50: percentile(ack, 50),
    ackP99: percentile(ack, 99),
  };
}

const figure = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kiB: number | undefined) => (kiB === undefined ? '—' : `${Math.round(kiB / 1024)} MiB`);
const counted = (counter: Counter) =>
  counter
    .entries()
    .map(([k, n]) => `${k} ${figure(n)}`)
    .join(', ') || 'none';

export function formatReport(r: ChaosReport): string[] {
  const injected = new Counter();
  for (const o of r.outcomes) if (!o.skipped) injected.add(`${o.fault.kind} ${o.fault.signal}`);
  const skipped = r.outcomes.filter((o) => o.skipped).length;
  const all = healFigures(r.outcomes);
  const byKind = [...new Set(r.outcomes.map((o) => o.fault.kind))].map((kind) => {
    const h = healFigures(r.outcomes.filter((o) => o.fault.kind === kind));
    return `${kind} ${seconds(h.healthP50)}/${seconds(h.healthP99)}`;
  });
  const list = (label: string, items: string[]) => [
    `${label}: ${items.length}${items.length ? ' (must be 0)' : ''}`,
    ...items.slice(0, 20).map((item) => `    ${item}`),
  ];
  return [
    `seed ${r.seed}: faults for ${seconds(r.faultSeconds * 1000)}`,
    `faults injected: ${all.faults} (${counted(injected)}); ${skipped} skipped, their target being down already`,
    `games: ${figure(r.games)}; moves played (acknowledged): ${figure(r.movesAcked)}`,
    ...list('acknowledged moves lost', r.lost),
    ...list('moves played twice', r.twice),
    ...list('games stuck', r.stuck),
    `sockets reconnected: ${figure(r.reconnects.bots)} players' (the client's, once open again); ` +
      `spectators' sockets closed and tried again: ${figure(r.reconnects.spectators)}; ` +
      `${figure(r.resyncs)} player resyncs`,
    `errors the bots got: ${counted(r.errors)}`,
    `time to heal, fault → every /health 200: p50 ${seconds(all.healthP50)}, p99 ${seconds(all.healthP99)} ` +
      `(by kind, p50/p99: ${byKind.join(', ')})`,
    `time to heal, fault → the next acknowledged move: p50 ${seconds(all.ackP50)}, p99 ${seconds(all.ackP99)}`,
    ...list(
      `versions: ${r.versions.watched} games watched, ${r.versions.resumedBehind} finished ones read again past their reserved versions; problems`,
      r.versions.problems,
    ),
    ...list('saved games that are not a replay of their moves', r.replay),
    `memory (peak VmRSS of settled processes, first third → last third of the faults): ${r.memory
      .map(
        (m) =>
          `${m.name} ${mib(m.firstPeakKiB)} → ${mib(m.lastPeakKiB)} (${m.incarnations} pid${m.incarnations > 1 ? 's' : ''}` +
          `${m.judged ? '' : ', not judged: never up long enough in both'}${m.bounded ? '' : ', GREW'})`,
      )
      .join(', ')}`,
    ...list('other problems', r.problems),
    `the launcher's output: ${r.logFile}`,
    r.ok ? `OK (seed ${r.seed})` : `FAILED (seed ${r.seed}: run again with --seed ${r.seed})`,
  ];
}

import type { FanoutResult } from '../scenarios/fanout.js';
import { LABEL } from './common.js';
import { fanoutFigures } from './fanout.js';
import { movesOf } from './moves.js';
import type { Results } from './results.js';
import { median, medianRun, ms, pct } from './stats.js';

/** "a 66%, b 11%" for CPU shares by process, biggest first. */
const split = (byProcess: Record<string, number>): [string, number][] =>
  Object.entries(byProcess).sort((a, b) => b[1] - a[1]);
const listed = (parts: [string, number][]) => parts.map(([n, v]) => `${n} ${pct(v)}`).join(', ');

/** Where ours falls short of the targets, with the bottleneck the figures point at. */
export function shortfalls(results: Results): string[] {
  const bullets: string[] = [];
  const disk = movesOf(results);
  if (disk.length) {
    const run = medianRun(disk, (r) => r.sustained)!;
    const full = run.steps.at(-1)!;
    const first = run.steps[0];
    const parts = split(full.byProcess);
    const [busiest, share] = parts[0] ?? ['?', 0];
    const inMemory = median(movesOf(results, 'tmpfs').map((r) => r.sustained));
    bullets.push(
      `- **Persisted moves.** lila-core acknowledges a move only once MongoDB has it (FerretDB 1.24 on SQLite here, as \`npm start\` runs it). ` +
        `At full speed it saved ${ms(run.sustained)} moves/s; a write took ${ms(first.mongoWrites?.meanMs ?? NaN)} ms on average at the lowest rate and ${ms(full.mongoWrites?.meanMs ?? NaN)} ms once writes queued. ` +
        `The server core was ${pct(full.serverCpu)} busy: ${listed(parts)}. ` +
        (Number.isFinite(inMemory)
          ? `With FerretDB's files on tmpfs (no disk flush) it saved ${ms(inMemory)} moves/s. `
          : '') +
        `The bottleneck is ${busiest} (${pct(share)} of the core)` +
        (/ferretdb/i.test(busiest)
          ? `${Number.isFinite(inMemory) && inMemory < run.sustained * 2 ? ', and memory instead of disk barely helps, so it is its CPU (its SQLite backend), not the disk' : ''}: lila-core already appends each state to a journal with one insert per batch of games (group commit), so 20,000 moves/s needs a real MongoDB on its own cores, and the latency target waits on the same writes.`
          : '.'),
    );
  }
  const ours = fanoutFigures(results, 'ours');
  const peers = (['socketio', 'centrifugo'] as const).map((t) => ({ t, f: fanoutFigures(results, t) }));
  const idle = results.profile?.top.find((f) => f.name === '(idle)')?.selfPercent;
  if (ours.rs.length) {
    const run = medianRun(ours.rs, (r: FanoutResult) => r.saturation.deliveriesPerSecond)!;
    const step = run.steps.filter((s) => s.holds).at(-1);
    const versus = peers
      .filter(({ f }) => f.rs.length)
      .map(({ t, f }) => `×${(ours.perCore / f.perCore).toFixed(2)} ${LABEL[t]}'s`)
      .join(' and ');
    const nearlyClientBound = ours.clientBound || (run.steps.at(-1)?.generatorCpu ?? 0) > 0.7;
    bullets.push(
      '- **Fan-out.** ' +
        (nearlyClientBound
          ? "Our measured saturation is close to the load generator's own: one core of `ws` clients on loopback was nearly spent when the p99 gave way. "
          : '') +
        (versus ? `Per server core, from the CPU each delivery cost, ours carries ${versus}. ` : '') +
        (step?.byProcess ? `At our last good step the server core went to ${listed(split(step.byProcess))}. ` : '') +
        (idle !== undefined
          ? `In the relays' CPU profile their JavaScript (reading the header, the room's order and history, the publish call) is ${pct(1 - idle / 100, 1)} of the samples: the relays' cost lies in uWebSockets.js's native sending and the kernel's loopback TCP, one write per socket per event, which the peers pay too.`
          : "Run with `--prof` for the relays' profile."),
    );
  }
  return bullets.length ? ['### Where we fall short, and why', '', ...bullets, ''] : [];
}

import type { FanoutResult, FanoutStep } from '../scenarios/fanout.js';
import type { TargetName } from '../target.js';
import { failures, LABEL, resultsOf, runsNote, table, targetsIn, type Section } from './common.js';
import type { Results } from './results.js';
import { int, median, medianRun, ms, over, pct, ratio } from './stats.js';
import { lineChart } from './svg.js';

/** The last step that held (p99 within 50 ms, nothing missing), else the first one: the cost figures' step. */
const lastHeld = (r: FanoutResult): FanoutStep | undefined => r.steps.filter((s) => s.holds).at(-1) ?? r.steps[0];
/** Server CPU per delivery at that step, in µs: the server's cost, whatever the generator could do. */
export const usPerDelivery = (s: FanoutStep | undefined): number =>
  s && s.deliveriesPerSecond > 0 ? (s.serverCpu / s.deliveriesPerSecond) * 1e6 : NaN;
/** Deliveries per second one server core would carry at that cost. */
export const perCore = (s: FanoutStep | undefined): number => 1e6 / usPerDelivery(s);

export function fanoutFigures(results: Results, t: TargetName) {
  const rs = resultsOf<FanoutResult>(results, 'fanout', t);
  return {
    rs,
    saturation: median(rs.map((r) => r.saturation.deliveriesPerSecond)),
    /** The lowest rate tried: a saturation of 0 means below it. */
    firstRate: median(rs.map((r) => r.steps[0]?.deliveriesPerSecond ?? NaN)),
    perCore: median(rs.map((r) => perCore(lastHeld(r)))),
    clientBound: rs.some((r) => r.saturation.clientBound || r.saturation.stoppedBy.includes('generator')),
  };
}

/** Where our server core went at the cost figures' step (relays, Redis, lila-core...). */
function splitLine(rs: FanoutResult[]): string[] {
  const step = rs.length ? lastHeld(medianRun(rs, (r) => r.saturation.deliveriesPerSecond)!) : undefined;
  if (!step?.byProcess) return [];
  const parts = Object.entries(step.byProcess)
    .sort((a, b) => b[1] - a[1])
    .map(([n, v]) => `${n} ${pct(v)}`);
  return [`At that step ours' server core went to: ${parts.join(', ')} (of one core).`, ''];
}

export function fanoutSection(results: Results): Section {
  const targets = targetsIn(results, 'fanout').filter((t) => fanoutFigures(results, t).rs.length);
  const ours = fanoutFigures(results, 'ours');
  const runs = Math.max(0, ...targets.map((t) => fanoutFigures(results, t).rs.length));
  const shape = ours.rs[0]?.shape ?? fanoutFigures(results, targets[0]).rs[0]?.shape;
  const rows = targets.map((t) => {
    const f = fanoutFigures(results, t);
    return [
      LABEL[t],
      over(f.rs, (r) => r.saturation.deliveriesPerSecond, int) +
        (f.saturation ? '' : ` (below the first step, ${int(f.firstRate)})`) +
        (f.clientBound ? ' (client-bound)' : ''),
      [...new Set(f.rs.map((r) => r.saturation.stoppedBy))].join('; '),
      over(f.rs, (r) => lastHeld(r)?.latency.p99 ?? NaN, ms),
      over(
        f.rs,
        (r) => lastHeld(r)?.serverCpu ?? NaN,
        (v) => pct(v),
      ),
      over(
        f.rs,
        (r) => usPerDelivery(lastHeld(r)),
        (v) => v.toFixed(2),
      ),
      over(f.rs, (r) => perCore(lastHeld(r)), int),
      t === 'ours'
        ? ''
        : `${f.saturation ? ratio(ours.saturation, f.saturation) : `> ${ratio(ours.saturation, f.firstRate)}`} / ${ratio(ours.perCore, f.perCore)}`,
    ];
  });
  const lines = [
    '## 2. Fan-out',
    '',
    shape
      ? `${int(shape.games)} games of ${shape.perGame} sockets (2 players and ${shape.perGame - 2} spectators) and a lobby of ${int(shape.lobby)} sockets, ${int(shape.sockets)} sockets in all, alternating between the two socket servers; ${pct(shape.lobbyShare)} of the events go to the lobby. Events (~160 bytes, the size of a move) are published on a fixed schedule, each stamped with the time it was due, and the rate steps up until the p99 from due time to receipt passes 50 ms, events go missing, or the generator saturates its core. ${runsNote(runs)}`
      : '',
    '',
    'Saturation is the last step that held. Every server process shares one core, so the server CPU at that step says how close the server was to its limit; "server µs / delivery" is its cost per delivered event, and "per server core" the deliveries one core would carry at that cost, a figure the load generator cannot cap. Ratios are ours ÷ theirs (saturation / per core).',
    '',
    ...table(
      [
        'target',
        'saturation (deliveries/s)',
        'stopped by',
        'p99 there (ms)',
        'server CPU there',
        'server µs / delivery',
        'per server core (deliveries/s)',
        '× ours (saturation / per core)',
      ],
      rows,
    ),
    '',
    ...splitLine(ours.rs),
    ...failures(results, 'fanout'),
    '![latency against delivery rate](bench/charts/latency.svg)',
    '',
  ];
  for (const t of targets) {
    const run = medianRun(fanoutFigures(results, t).rs, (r) => r.saturation.deliveriesPerSecond)!;
    lines.push(
      `<details><summary>${LABEL[t]}: every step (median run)</summary>`,
      '',
      ...table(
        [
          'aimed',
          'delivered/s',
          'p50',
          'p99',
          'p99.9',
          'delivered',
          'server CPU',
          'generator CPU',
          'other CPU',
          'schedule lag',
          '',
        ],
        run.steps.map((s) => [
          int(s.target),
          int(s.deliveriesPerSecond),
          ms(s.latency.p50),
          ms(s.latency.p99),
          ms(s.latency.p999),
          pct(s.delivered / Math.max(1, s.expected), 2),
          pct(s.serverCpu),
          pct(s.generatorCpu),
          pct(s.otherCpu ?? NaN),
          ms(s.scheduleLagMs),
          [s.holds ? 'held' : s.retried ? 'failed, run again' : 'failed', s.clientBound ? 'client-bound' : '']
            .filter(Boolean)
            .join(', '),
        ]),
      ),
      '',
      '</details>',
      '',
    );
  }
  const series = targets.map((t) => {
    const run = medianRun(fanoutFigures(results, t).rs, (r) => r.saturation.deliveriesPerSecond)!;
    return {
      name: `${LABEL[t]} p99`,
      points: run.steps
        .filter((s) => !s.retried)
        .map((s) => [s.deliveriesPerSecond, s.latency.p99] as [number, number]),
    };
  });
  return {
    lines,
    charts: [
      {
        file: 'latency.svg',
        svg: lineChart({
          title: 'Fan-out: p99 latency against delivered events per second',
          xLabel: 'deliveries per second (log)',
          yLabel: 'p99 latency, ms (log)',
          series,
          logX: true,
          logY: true,
          limit: { y: 50, label: '50 ms' },
        }),
      },
    ],
  };
}

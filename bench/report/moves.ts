import type { MovesResult } from '../scenarios/moves.js';
import { failures, resultsOf, runsNote, table, type Section } from './common.js';
import type { Results } from './results.js';
import { int, median, medianRun, ms, over, pct } from './stats.js';
import { lineChart } from './svg.js';

export const VARIANTS = [
  { variant: undefined, label: 'data on disk (as `npm start`)' },
  { variant: 'tmpfs', label: 'FerretDB files on tmpfs' },
] as const;

export const movesOf = (results: Results, variant?: string) =>
  resultsOf<MovesResult>(results, 'moves', 'ours', variant);

/** Where the server core went in the as-fast-as-possible step, biggest first. */
const cpuSplit = (r: MovesResult): string => {
  const last = r.steps.at(-1);
  return last
    ? Object.entries(last.byProcess)
        .sort((a, b) => b[1] - a[1])
        .map(([n, v]) => `${n} ${pct(v)}`)
        .join(', ')
    : '–';
};

export function movesSection(results: Results): Section {
  const present = VARIANTS.filter((v) => movesOf(results, v.variant).length);
  const lines = [
    '## 3. Game moves end to end (ours only)',
    '',
    `Games of two bots, each on a different relay, with spectators: each game replays a real opening line from \`../shared/data/openings\` (lichess's CC0 set), then random legal moves. A first step plays every move the moment its player sees the previous one: the core's sustained rate of validated, persisted moves (each saved before its event). Then steps play moves on a fixed schedule at 10%, 50% and 90% of that rate; a move due before its player has seen the opponent's waits, and its latency counts from when it was due. Latency runs from the due time to the opponent's receipt of the move event, to the spectators' receipt, and to the mover's \`ack\` (sent once lila-core has saved the move). The floor, measured in the same run on the same cores, is what a move cannot avoid: two raw Redis pub/sub hops and one journal append (lila-core's write concern), alone, one at a time. ${runsNote(Math.max(0, ...present.map((v) => movesOf(results, v.variant).length)))}`,
    '',
    ...table(
      [
        'variant',
        'games',
        'sustained persisted moves/s',
        'highest rate with p99 ≤ 5 ms',
        'with p99 ≤ 50 ms',
        'MongoDB write (lila-core, mean)',
        'server core at full speed',
      ],
      present.map(({ variant, label }) => {
        const rs = movesOf(results, variant);
        const run = medianRun(rs, (r) => r.sustained)!;
        return [
          label,
          int(rs[0].games),
          over(rs, (r) => r.sustained, int),
          over(rs, (r) => r.within5ms ?? NaN, int),
          over(rs, (r) => r.within50ms ?? NaN, int),
          over(
            rs,
            (r) => r.steps.at(-1)?.mongoWrites?.meanMs ?? NaN,
            (v) => `${ms(v)} ms`,
          ),
          cpuSplit(run),
        ];
      }),
    ),
    '',
    ...table(
      [
        'variant',
        'share of sustained',
        'aimed moves/s',
        'opponent p50 / p99 (ms)',
        'floor p50 / p99 (ms)',
        'p99 ÷ floor p99',
      ],
      present.flatMap(({ variant, label }) => {
        const run = medianRun(movesOf(results, variant), (r) => r.sustained)!;
        const floor = run.floor;
        return run.steps
          .filter((s) => s.share !== undefined)
          .map((s) => [
            label,
            pct(s.share!),
            int(s.target ?? NaN),
            `${ms(s.opponent.p50)} / ${ms(s.opponent.p99)}`,
            floor ? `${ms(floor.p50)} / ${ms(floor.p99)}` : '–',
            floor ? `×${(s.opponent.p99 / floor.p99).toFixed(2)}` : '–',
          ]);
      }),
    ),
    '',
    ...failures(results, 'moves'),
  ];
  for (const { variant, label } of present) {
    const run = medianRun(movesOf(results, variant), (r) => r.sustained)!;
    lines.push(
      `<details><summary>${label}: every step (median run)</summary>`,
      '',
      ...table(
        [
          'aimed moves/s',
          'sent/s',
          'saved/s',
          'opponent p50 / p99 / p99.9 (ms)',
          'spectators p50 / p99',
          'ack p99',
          'errors',
          'server CPU',
          'MongoDB write mean',
          '',
        ],
        run.steps.map((s) => [
          s.target === undefined ? 'as fast as possible' : int(s.target),
          int(s.sentPerSecond),
          int(s.persistedPerSecond),
          `${ms(s.opponent.p50)} / ${ms(s.opponent.p99)} / ${ms(s.opponent.p999)}`,
          `${ms(s.spectators.p50)} / ${ms(s.spectators.p99)}`,
          ms(s.ack.p99),
          int(s.errors),
          pct(s.serverCpu),
          s.mongoWrites ? `${ms(s.mongoWrites.meanMs)} ms` : '–',
          s.target === undefined ? '' : s.holds ? 'held' : 'fell behind',
        ]),
      ),
      '',
      '</details>',
      '',
    );
  }
  const series = present.map(({ variant, label }) => {
    const run = medianRun(movesOf(results, variant), (r) => r.sustained)!;
    return {
      name: label.replace(/`/g, ''),
      points: run.steps.map((s) => [s.persistedPerSecond, s.opponent.p99] as [number, number]),
    };
  });
  lines.push('![move latency against moves per second](bench/charts/moves.svg)', '');
  return {
    lines,
    charts: [
      {
        file: 'moves.svg',
        svg: lineChart({
          title: 'Moves: p99 latency to the opponent against persisted moves per second',
          xLabel: 'persisted moves per second (log)',
          yLabel: 'p99 latency, ms (log)',
          series,
          logX: true,
          logY: true,
          limit: { y: 5, label: '5 ms target' },
        }),
      },
    ],
  };
}

export const sustainedMoves = (results: Results, variant?: string): number =>
  median(movesOf(results, variant).map((r) => r.sustained));

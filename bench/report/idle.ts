import type { IdleResult } from '../scenarios/idle.js';
import { failures, LABEL, resultsOf, runsNote, table, targetsIn, type Section } from './common.js';
import type { Results } from './results.js';
import { int, kb, median, medianRun, over, pct, ratio } from './stats.js';
import { lineChart } from './svg.js';

export function idleSection(results: Results): Section {
  const targets = targetsIn(results, 'idle');
  const of = (t: (typeof targets)[number]) => resultsOf<IdleResult>(results, 'idle', t);
  const oursMem = median(of('ours').map((r) => r.perSocket.socketServers));
  const runs = Math.max(...targets.map((t) => of(t).length), 0);
  const rows = targets
    .filter((t) => of(t).length)
    .map((t) => {
      const rs = of(t);
      const mem = median(rs.map((r) => r.perSocket.socketServers));
      return [
        LABEL[t],
        over(rs, (r) => r.sockets, int),
        over(rs, (r) => r.perSocket.socketServers, kb),
        over(rs, (r) => r.perSocket.servers, kb),
        over(rs, (r) => r.perSocket.cgroup ?? NaN, kb),
        over(rs, (r) => r.perSocket.tcpKernel, kb),
        over(
          rs,
          (r) => r.idleCpu.servers,
          (v) => pct(v, 1),
        ),
        over(rs, (r) => r.connectPerSecond, int),
        t === 'ours' ? '' : ratio(oursMem, mem),
      ];
    });
  const limited = [...new Set(targets.flatMap((t) => of(t).map((r) => r.limitedBy)).filter(Boolean))];
  const byProcess = of('ours')[0]?.rampCpu.byProcess;
  const lines = [
    '## 1. Idle capacity',
    '',
    `Sockets ramped up in rooms of 200, then left idle. Memory per socket is each figure's growth from before the first socket to after the idle period, divided by the sockets ${runsNote(runs)}. "Socket servers" are the two relays (ours) or the two Socket.IO / Centrifugo processes; "all servers" adds Redis (and, for ours, lila-core and FerretDB). The cgroup and kernel TCP figures cover the whole machine, both ends of every loopback connection included (the load generator's too), so they overstate the server's share. "× ours" is ours ÷ theirs: below 1, ours uses less.`,
    '',
    ...table(
      [
        'target',
        'sockets',
        'socket servers RSS / socket',
        'all servers RSS / socket',
        'cgroup / socket',
        'kernel TCP / socket',
        'CPU at idle (servers)',
        'connects / s',
        'memory × ours',
      ],
      rows,
    ),
    '',
    ...(limited.length ? [`N was capped below the mode's target by ${limited.join('; ')}.`, ''] : []),
    ...(byProcess
      ? [
          `While ours ramped up, its server core went to: ${Object.entries(byProcess)
            .map(([n, v]) => `${n} ${pct(v)}`)
            .join(
              ', ',
            )}. Every /watch socket is admitted by lila-core (a join through Redis), which bounds our connect rate.`,
          '',
        ]
      : []),
    ...failures(results, 'idle'),
    '![memory against sockets](bench/charts/memory.svg)',
    '',
  ];
  const series = targets
    .filter((t) => of(t).length)
    .map((t) => {
      const run = medianRun(of(t), (r) => r.perSocket.socketServers)!;
      const base = run.samples[0].socketServers;
      return {
        name: LABEL[t],
        points: run.samples.map((s) => [s.sockets, (s.socketServers - base) / 2 ** 20] as [number, number]),
      };
    });
  return {
    lines,
    charts: [
      {
        file: 'memory.svg',
        svg: lineChart({
          title: 'Socket servers: resident memory growth against sockets',
          xLabel: 'subscribed sockets',
          yLabel: 'RSS growth (MiB), both socket servers',
          series,
        }),
      },
    ],
  };
}

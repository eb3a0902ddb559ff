import type { SiteInPhase, SiteInResult } from '../scenarios/site-in.js';
import { failures, resultsOf, runsNote, table, type Section } from './common.js';
import type { Results } from './results.js';
import { int, median, over, pct } from './stats.js';

/** The share of the raw ceiling lila-core reaches with clock requests (the target's figure). */
export const siteInShare = (results: Results): { share: number; runs: SiteInResult[] } => {
  const runs = resultsOf<SiteInResult>(results, 'sitein', 'ours');
  return { share: median(runs.map((r) => r.clockShare)), runs };
};

const cpuSplit = (p: SiteInPhase): string =>
  Object.entries(p.byProcess)
    .filter(([, v]) => v >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([n, v]) => `${n} ${pct(v)}`)
    .join(', ');

export function siteInSection(results: Results): Section {
  const { runs } = siteInShare(results);
  if (!runs.length) return { lines: [], charts: [] };
  const row = (label: string, pick: (r: SiteInResult) => SiteInPhase, share?: (r: SiteInResult) => number) => {
    const mid = pick(runs[0]);
    return [
      label,
      over(runs, (r) => pick(r).rate, int),
      share ? over(runs, share, (v) => pct(v)) : '',
      over(runs, (r) => pick(r).publishRate, int),
      `${int(mid.received)} of ${int(mid.sent)}`,
      cpuSplit(mid),
    ];
  };
  return {
    lines: [
      '## 4. site-in ceiling',
      '',
      `The load generator plays a relay on \`site-in\` (its own id and boot, messages numbered as a relay numbers them) and floods it, at most 5,000 ahead of lila-core's answers, with cheap actions: \`clock\` requests for a game in progress (answered from memory to the socket, through the relay's channel) and chat on a tournament page nobody has open (checked against each user's chat limits, published to the empty room). Beside them, in the same run on the same core and Redis, one ioredis subscriber alone (bench/load/raw-subscriber.ts, \`message\` events as lila-core takes them) counts the same envelopes: the raw ceiling. Rates run from the first message received to the last. ${runsNote(runs.length)}`,
      '',
      ...table(
        ['what', 'messages / s', 'share of raw', 'written / s (generator)', 'received', 'server core (first run)'],
        [
          row('one ioredis subscriber (raw)', (r) => r.raw),
          row(
            'lila-core: `clock`',
            (r) => r.clock,
            (r) => r.clockShare,
          ),
          row(
            'lila-core: chat in an empty room',
            (r) => r.talk,
            (r) => r.talkShare,
          ),
        ],
      ),
      '',
      "What would make it faster (from lila-core's code, not yet from a profile of this flood): each envelope is parsed twice, JSON.parse and then zod's `CoreIn`, a plain union whose last member is the socket envelope, so every socket action first fails seven other schemas; one parse discriminated on `t` is the first step, then one Redis pipeline of answers per read chunk instead of one PUBLISH each.",
      '',
      ...failures(results, 'sitein'),
    ],
    charts: [],
  };
}

import type { ChurnResult } from '../scenarios/churn.js';
import { failures, LABEL, resultsOf, runsNote, table, targetsIn, type Section } from './common.js';
import type { Results } from './results.js';
import { int, ms, over, pct } from './stats.js';

type Recovery = { lost: number; recovered: number; notRecovered: number; gaveUp: number };

export function churnSection(results: Results): Section {
  const targets = targetsIn(results, 'churn').filter((t) => resultsOf(results, 'churn', t).length);
  const of = (t: (typeof targets)[number]) => resultsOf<ChurnResult & { recovery?: Recovery }>(results, 'churn', t);
  const shape = targets.length ? of(targets[0])[0].shape : undefined;
  const runs = Math.max(0, ...targets.map((t) => of(t).length));
  const share = (v: number) => pct(v, 2);
  const lines = [
    '## 5. Drop and deploy',
    '',
    shape
      ? `${shape.rooms} rooms of ${shape.perRoom} sockets over both servers, ${shape.eventsPerRoomPerSecond} events per room per second. Every few seconds one socket in ten (one per room) has its TCP connection cut and reconnects at once by itself, with recovery: ours with \`?v=\` (the relay serves what was missed from the room's recent events), Socket.IO with connection state recovery (its Redis streams adapter, which recovery needs), Centrifugo with channel history and recovery. Then server 0 gets SIGTERM, as in a deploy, and its sockets move to server 1 (ours: the relay closes them with 1012, spread over 4 s, as it does in production). ${runsNote(runs)}`
      : '',
    '',
    '"Delivered" is unique events received over events published while each socket was subscribed; "replayed" events are those published while their socket was away; "away" runs from a socket\'s loss to its first event after it (events come every 250 ms per room, so it reads high by up to that much when nothing was missed).',
    '',
    ...table(
      [
        'target',
        'delivered',
        'during drops',
        'after the deploy',
        'duplicates',
        'replay latency p50 / p99 (ms)',
        'away p50 / p99 (ms)',
        'deploy: all back after',
        'not back',
        'reconnections recovered / not',
      ],
      targets.map((t) => {
        const rs = of(t);
        return [
          LABEL[t],
          over(rs, (r) => r.deliveredShare, share),
          over(rs, (r) => r.deliveredShareDrops, share),
          over(rs, (r) => r.deliveredShareDeploy, share),
          over(rs, (r) => r.duplicates, int),
          `${over(rs, (r) => r.replay.p50, ms)} / ${over(rs, (r) => r.replay.p99, ms)}`,
          `${over(rs, (r) => r.away.p50, ms)} / ${over(rs, (r) => r.away.p99, ms)}`,
          over(
            rs,
            (r) => r.deploy.allBackMs ?? NaN,
            (v) => `${int(v)} ms`,
          ),
          over(rs, (r) => r.deploy.notBack, int),
          rs[0].recovery
            ? over(rs, (r) => r.recovery!.recovered, int) + ' / ' + over(rs, (r) => r.recovery!.notRecovered, int)
            : '–',
        ];
      }),
    ),
    '',
    // A system that never got its sockets back failed to run the scenario: it did not measure slow.
    ...targets
      .filter((t) => t !== 'ours' && of(t).some((r) => r.deploy.notBack > 0 || r.deliveredShare < 0.5))
      .map((t) => {
        const r = of(t)[0];
        const rec = r.recovery;
        return (
          `**${LABEL[t]}: unverified.** During the drops ${pct(r.deliveredShareDrops, 2)} of events arrived; after the deploy ${pct(r.deliveredShareDeploy, 2)}, and ${int(r.deploy.notBack)} of the ${int(r.deploy.affected)} sockets the deploy closed were not back by the end` +
          (rec
            ? ` (connections lost ${int(rec.lost)}, reconnections confirmed ${int(rec.recovered + rec.notRecovered)}, given up ${int(rec.gaveUp)}: the rest were still retrying, or stalled without an error)`
            : '') +
          `. The drops alone recover, so what fails is the reconnection of a whole server's sockets onto the other one, in our target's client handling or in ${LABEL[t]}'s; no conclusion is drawn from this row until that is told apart.`
        );
      }),
    '',
    ...failures(results, 'churn'),
  ];
  return { lines, charts: [] };
}

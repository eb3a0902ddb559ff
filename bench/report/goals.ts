import type { IdleResult } from '../scenarios/idle.js';
import { LABEL, resultsOf, table } from './common.js';
import { fanoutFigures } from './fanout.js';
import { movesOf, sustainedMoves } from './moves.js';
import type { Results } from './results.js';
import { siteInShare } from './site-in.js';
import { int, kb, median, pct } from './stats.js';

/**
 * Issue #16 judges fan-out by deliveries per server core, from the CPU each delivery costs;
 * saturation (read from the p99 rule, which a shared machine's hiccups can trip early) is quoted beside.
 */
const verdictOf = (measured: number, projected: number, factor: number): string =>
  projected >= factor
    ? 'met'
    : measured >= factor
      ? `not met per core (×${projected.toFixed(1)}), met by saturation`
      : 'not met';

/**
 * The issue's targets, each stated as met or not met from this run's figures, with what decided it.
 * A figure the run could not produce is "not shown", never met.
 */
export function goalsSection(results: Results): string[] {
  const rows: string[][] = [];
  const ours = fanoutFigures(results, 'ours');
  for (const [peer, factor] of [
    ['socketio', 10],
    ['centrifugo', 2],
  ] as const) {
    const them = fanoutFigures(results, peer);
    const measured = ours.saturation / them.saturation;
    const projected = ours.perCore / them.perCore;
    let verdict = 'not shown';
    let why = `no fan-out figures for ${LABEL[peer]}${them.rs.length ? '' : ' (its runs failed)'}`;
    if (ours.rs.length && them.rs.length && !them.saturation) {
      // Theirs held no step: its saturation lies below the first rate tried.
      const atLeast = ours.saturation / them.firstRate;
      verdict = verdictOf(atLeast, projected, factor);
      why =
        `${LABEL[peer]} held no step (its saturation is below ${int(them.firstRate)} deliveries/s), ours held ${int(ours.saturation)}: more than ×${atLeast.toFixed(1)}; ` +
        `per server core from CPU cost: ×${projected.toFixed(2)}`;
    } else if (ours.rs.length && them.rs.length) {
      verdict = verdictOf(measured, projected, factor);
      why =
        `saturation ${int(ours.saturation)} vs ${int(them.saturation)} deliveries/s: ×${measured.toFixed(2)}` +
        `${ours.clientBound ? ' (ours client-bound: a lower bound)' : ''}${them.clientBound ? ` (${LABEL[peer]} client-bound)` : ''}; ` +
        `per server core from CPU cost: ×${projected.toFixed(2)}`;
    }
    rows.push([`fan-out ≥ ${factor}× ${LABEL[peer]}'s deliveries per server core`, verdict, why]);
  }

  const disk = movesOf(results);
  // Issue #16 part 2: at 50% of the sustained rate, p99 within twice the floor of the same run.
  const atHalf = disk.map((r) => ({ step: r.steps.find((s) => s.share === 0.5), floor: r.floor }));
  const ratios = atHalf.filter((h) => h.step && h.floor).map((h) => h.step!.opponent.p99 / h.floor!.p99);
  rows.push([
    'move latency p99 ≤ 2× the floor (two Redis hops and one journal append) at 50% of the sustained rate',
    ratios.length ? (median(ratios) <= 2 ? 'met' : 'not met') : 'not shown',
    ratios.length
      ? `p99 ÷ floor p99 at 50%: ${ratios.map((x) => `×${x.toFixed(2)}`).join(', ')}`
      : 'no moves figures with a floor',
  ]);
  const sustained = sustainedMoves(results);
  rows.push([
    'persisted moves/s ≥ 5,000 with the embedded default database (as `npm start`)',
    disk.length ? (sustained >= 5_000 ? 'met' : 'not met') : 'not shown',
    disk.length
      ? `${int(sustained)} moves/s with data on disk; ${int(sustainedMoves(results, 'tmpfs'))} with FerretDB on tmpfs`
      : 'no moves figures',
  ]);

  const siteIn = siteInShare(results);
  rows.push([
    "`site-in`: lila-core's cheap actions ≥ 40% of one ioredis subscriber's raw ceiling",
    siteIn.runs.length ? (siteIn.share >= 0.4 ? 'met' : 'not met') : 'not shown',
    siteIn.runs.length
      ? `clock requests ${int(median(siteIn.runs.map((r) => r.clock.rate)))}/s, raw ${int(median(siteIn.runs.map((r) => r.raw.rate)))}/s: ${pct(siteIn.share)}; chat in an empty room ${pct(median(siteIn.runs.map((r) => r.talkShare)))}`
      : 'no site-in figures',
  ]);

  const idle = resultsOf<IdleResult>(results, 'idle', 'ours');
  const perSocket = median(idle.map((r) => r.perSocket.socketServers));
  const n = median(idle.map((r) => r.sockets));
  rows.push([
    'idle memory ≤ 4 KB per socket in the relays, as many sockets as the machine allows',
    !idle.length ? 'not shown' : perSocket > 4096 ? 'not met' : 'met',
    idle.length
      ? `${kb(perSocket)} per socket (relays' RSS) at ${int(n)} sockets` +
        (idle[0].limitedBy ? ` (${idle[0].limitedBy})` : ' (fewer than the machine allows: a quick run)')
      : 'no idle figures',
  ]);
  return ['## The targets', '', ...table(['target (issue #16)', 'verdict', 'from'], rows), ''];
}

import { loadTarget } from './targets.js';
import { openSeats, closeAll, type Seat } from './subscribers.js';
import type { TargetName } from '../target.js';

/**
 * One process of the load generator's sockets, under its own RLIMIT_NOFILE: the idle scenario forks
 * several (bench/load/spread.ts). It attaches a fresh target to the servers the scenario's worker
 * started (`Target.attach`), opens its seats, says how many are open as it goes, and closes them
 * when told to, then exits.
 */
export type SeatJob = { target: TargetName; spec: unknown; seats: Seat[]; width: number; addresses: string[] };
export type SeatReport =
  { open: number } | { done: { failed: number; firstError?: string; seconds: number } } | { error: string };

const send = (m: SeatReport) => process.send?.(m);

process.once('message', (job: SeatJob) => {
  void (async () => {
    const target = await loadTarget(job.target);
    target.attach!(job.spec);
    const opened = await openSeats(target, job.seats, {
      width: job.width,
      addresses: job.addresses,
      onMessage: () => undefined,
      onOpened: (open) => open % 100 === 0 && send({ open: 100 }),
    });
    const count = job.seats.length - opened.failed;
    send({ open: count % 100 });
    send({ done: { failed: opened.failed, firstError: opened.firstError, seconds: opened.seconds } });
    process.once('message', () => void closeAll(opened.subs).then(() => process.exit(0)));
  })().catch((err: Error) => {
    send({ error: err.stack ?? err.message });
    process.exit(1);
  });
});

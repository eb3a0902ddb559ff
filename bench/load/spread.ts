import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/stack/services.js';
import type { Target } from '../target.js';
import type { SeatJob, SeatReport } from './seat-worker.js';
import type { Seat } from './subscribers.js';

/**
 * Opens `seats` from `processes` generator processes (bench/load/seat-worker.ts), each with its
 * share and its own file-descriptor limit, pinned where this one is (taskset is inherited).
 * `onOpened` hears the total open so far. Resolves once every process is done, with a `close`
 * that closes every socket and waits for the processes to exit.
 */
export async function openSpread(
  target: Target,
  seats: Seat[],
  o: { processes: number; width: number; addresses: string[]; onOpened?: (open: number) => void },
): Promise<{ failed: number; firstError?: string; seconds: number; close: () => Promise<void> }> {
  const t0 = performance.now();
  const spec = target.clientSpec!();
  let open = 0;
  let failed = 0;
  let firstError: string | undefined;
  const children: ChildProcess[] = [];
  const per = Math.ceil(seats.length / o.processes);
  await Promise.all(
    Array.from({ length: o.processes }, (_, p) => {
      const share = seats.slice(p * per, (p + 1) * per);
      const child = fork(join(projectRoot, 'dist', 'bench', 'load', 'seat-worker.js'), [], {
        execArgv: ['--max-old-space-size=4096'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.on('message', (m: SeatReport) => {
          if ('open' in m) o.onOpened?.((open += m.open));
          else if ('done' in m) {
            failed += m.done.failed;
            firstError ??= m.done.firstError;
            resolve();
          } else reject(new Error(`seat process: ${m.error}`));
        });
        child.once('exit', (code) => reject(new Error(`seat process exited (${code}) before its sockets opened`)));
        const job: SeatJob = { target: target.name, spec, seats: share, width: o.width, addresses: o.addresses };
        child.send(job);
      });
    }),
  );
  const close = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null) return done();
            c.once('exit', () => done());
            c.send('close');
          }),
      ),
    );
  };
  return { failed, firstError, seconds: (performance.now() - t0) / 1000, close };
}

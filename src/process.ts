import { within } from './deadline.js';
import type { Logger } from './log.js';

/**
 * Runs a service process: starts it, stops it cleanly on SIGTERM or SIGINT, and tells a
 * supervising process (the local stack, the tests) over IPC once it is ready. A failed start
 * is logged and exits with status 1; a stop that takes longer than `stopDeadlineMs` (a server it
 * needs is gone) is logged and exits with status 1 too.
 */
export function runService(
  name: string,
  log: Logger,
  start: () => Promise<{ close(): Promise<void> }>,
  stopDeadlineMs = 15_000,
): void {
  start().then(
    (service) => {
      const stop = (signal: string) => {
        log.info({ signal }, `${name} stopping`);
        void within(stopDeadlineMs, service.close()).then((clean) => {
          if (!clean) log.error({ deadlineMs: stopDeadlineMs }, `${name} did not stop in time; exiting`);
          process.exit(clean ? 0 : 1);
        });
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      process.send?.({ ready: true });
    },
    (err: Error) => {
      log.fatal({ err: err.message }, `${name} failed to start`);
      process.exit(1);
    },
  );
}

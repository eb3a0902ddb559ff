import { within } from './deadline.js';
import type { Logger } from './log.js';

/** The part of `process` the fault handlers listen on (a fake in the unit tests). */
type Faults = Pick<NodeJS.EventEmitter, 'on'>;

/**
 * An error nobody caught (a throw in a callback, a promise rejected with no catch) leaves the
 * process in a state nobody planned for: it is logged once, with stable keys (`fault`, `err`,
 * `stack`), and the process exits with status 1, so that its supervisor (`npm start`, systemd)
 * starts a clean one. pino's exit hook writes the line out before the process ends.
 */
export function exitOnFault(
  log: Logger,
  on: Faults = process,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const fault = (kind: 'uncaughtException' | 'unhandledRejection') => (reason: unknown) => {
    const err = reason instanceof Error ? reason : new Error(String(reason));
    log.fatal({ fault: kind, err: err.message, stack: err.stack }, `${kind}; exiting for a restart`);
    exit(1);
  };
  on.on('uncaughtException', fault('uncaughtException'));
  on.on('unhandledRejection', fault('unhandledRejection'));
}

/**
 * Runs a service process: starts it, stops it cleanly on SIGTERM or SIGINT, and tells a
 * supervising process (the local stack, the tests) over IPC once it is ready. A failed start
 * is logged and exits with status 1; a stop that takes longer than `stopDeadlineMs` (a server it
 * needs is gone) is logged and exits with status 1 too; so does any fault (`exitOnFault`).
 */
export function runService(
  name: string,
  log: Logger,
  start: () => Promise<{ close(): Promise<void> }>,
  stopDeadlineMs = 15_000,
): void {
  exitOnFault(log);
  start().then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, `${name} stopping`);
        void within(stopDeadlineMs, service.close()).then((clean) => {
          if (!clean) log.error({ deadlineMs: stopDeadlineMs }, `${name} did not stop in time; exiting`);
          process.exit(clean ? 0 : 1);
        });
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      // Started over IPC, its supervisor's end is its own (the supervisor was killed outright, or
      // a test run ended): it stops as for SIGTERM rather than run on with nobody to stop it.
      if (process.send) process.once('disconnect', () => stop('disconnect'));
      process.send?.({ ready: true });
    },
    (err: Error) => {
      log.fatal({ err: err.message }, `${name} failed to start`);
      process.exit(1);
    },
  );
}

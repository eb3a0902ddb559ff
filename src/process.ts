import type { Logger } from './log.js';

/**
 * Runs a service process: starts it, stops it cleanly on SIGTERM or SIGINT, and tells a
 * supervising process (the local stack, the tests) over IPC once it is ready. A failed start
 * is logged and exits with status 1.
 */
export function runService(name: string, log: Logger, start: () => Promise<{ close(): Promise<void> }>): void {
  start().then(
    (service) => {
      const stop = (signal: string) => {
        log.info({ signal }, `${name} stopping`);
        void service.close().then(() => process.exit(0));
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

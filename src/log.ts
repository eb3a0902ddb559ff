import pino from 'pino';

/**
 * pino JSON logs. Stable keys across processes: `proc`, `relay`, `sid`, `user`, `game`, `err`.
 * Tokens, passwords and cookies are never logged.
 */
export const createLogger = (proc: 'relay' | 'core' | 'stack', level: string, base: Record<string, string> = {}) =>
  pino({
    level,
    base: { proc, pid: process.pid, ...base },
    redact: ['token', 'password', 'authorization', 'cookie', '*.token', '*.password'],
  });

export type Logger = pino.Logger;

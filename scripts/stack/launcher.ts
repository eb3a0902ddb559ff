import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { byLine, freePort, projectRoot } from './services.js';

/**
 * `npm start`'s launcher (dist/scripts/start.js) run as a child, read line by line: which pid each
 * of its children has now (it prints `stack <name> started|restarted (pid N)`), and any line to
 * come. For the tests and the chaos run, which kill its children and watch it start them again.
 */
export type Launcher = {
  child: ChildProcess;
  lines: string[];
  /** Every pid the launcher reported, by child name, the latest last. */
  pids: Map<string, number[]>;
  /** Resolves with the first line (already printed or to come) that matches. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Called with each line as it comes. */
  onLine(listener: (line: string) => void): void;
  exited: Promise<number | null>;
};

const STARTED = /^stack\s+(\S+) (?:started|restarted) \(pid (\d+)\)/;

/** Keep this many lines: a long run prints one per start and exit, and its children's warnings. */
const KEPT_LINES = 20_000;

export function launch(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Launcher {
  const { REDIS_URL: _r, MONGO_URL: _m, ...inherited } = process.env;
  const child = spawn(process.execPath, [...nodeArgs, join(projectRoot, 'dist/scripts/start.js')], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const pids = new Map<string, number[]>();
  const listeners = new Set<(line: string) => void>();
  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
    const started = STARTED.exec(line);
    if (started) pids.set(started[1], [...(pids.get(started[1]) ?? []), Number(started[2])]);
    for (const listener of [...listeners]) listener(line);
  };
  child.stdout.on('data', byLine(onLine));
  child.stderr.on('data', byLine(onLine));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    lines,
    pids,
    exited,
    onLine: (listener) => void listeners.add(listener),
    line(re, timeoutMs = 30_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`launcher never printed ${re}; last lines:\n${lines.slice(-30).join('\n')}`));
        }, timeoutMs);
        const check = (line: string) => {
          if (!re.test(line)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(line);
        };
        listeners.add(check);
      });
    },
  };
}

export type LauncherPorts = { redis: number; mongo: number; core: number; relays: number[]; nginx: number };

/**
 * The launcher with its own Redis and FerretDB on free loopback ports, its data in `dir`, warnings
 * and worse logged, passwords hashed at N = 2^14 (as in the tests); `env` adds or overrides.
 */
export async function launchOnFreePorts(
  dir: string,
  env: NodeJS.ProcessEnv = {},
  relays = 2,
): Promise<{ launcher: Launcher; ports: LauncherPorts }> {
  const ports: LauncherPorts = {
    redis: await freePort(),
    mongo: await freePort(),
    core: await freePort(),
    relays: await Promise.all(Array.from({ length: relays }, freePort)),
    nginx: await freePort(),
  };
  const launcher = launch({
    DATA_DIR: dir,
    REDIS_PORT: String(ports.redis),
    MONGO_PORT: String(ports.mongo),
    CORE_PORT: String(ports.core),
    RELAY_PORTS: ports.relays.join(','),
    NGINX_PORT: String(ports.nginx),
    LOG_LEVEL: 'warn',
    SCRYPT_N: '16384',
    ...env,
  });
  return { launcher, ports };
}

/** Whether a process of that pid still runs. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

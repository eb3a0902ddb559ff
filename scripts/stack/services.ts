import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Child processes of the local stack and of the tests: redis-server, FerretDB, lila-core, relays
 * and nginx. Each is ready when it prints its ready line, never after a guessed delay.
 */
export type Service = {
  name: string;
  process: ChildProcess;
  /** Lines it printed, for a test or an operator to read after the fact. */
  output: string[];
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** The folder holding package.json, whether this runs from dist/ or from source under jest. */
export const projectRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export const ferretdbBin = (): string =>
  process.env.FERRETDB_BIN ??
  join(process.env.LILA_CACHE ?? join(homedir(), '.cache', 'lila-ts'), 'bin', 'ferretdb-1.24.2');

/** A stream's chunks as whole lines, one splitter per stream (a line may span chunks). */
export function byLine(each: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(each);
  };
}

export function spawnService(o: {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A line that says it is ready, or 'ipc' for our own processes, which send {ready:true}. */
  ready: RegExp | 'ipc';
  timeoutMs?: number;
  echo?: (line: string) => void;
  /**
   * The process gets a group of its own, and signals go to the whole group: nginx's workers
   * outlive a killed master, still holding the port, unless they are signalled too. The launcher
   * gives every child its own group, so that Ctrl-C in a terminal reaches the launcher alone, which
   * then stops its children in order.
   */
  group?: boolean;
  /**
   * A command the process runs under, e.g. `['taskset', '-c', '0']` to pin it to a core (the
   * benchmarks). It must exec the process, so that signals and the pid are the process's own.
   */
  wrap?: string[];
}): Promise<Service> {
  const [command, ...args] = [...(o.wrap ?? []), o.command, ...o.args];
  const child = spawn(command, args, {
    env: { ...process.env, ...o.env },
    stdio: o.ready === 'ipc' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    detached: o.group ?? false,
  });
  const kill = (signal: NodeJS.Signals) => {
    if (o.group && child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    } else child.kill(signal);
  };
  const output: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stopping = false;
  // A process dying on its own is news: its last words go to stderr, where a test run shows them
  // (with `echo`, they were shown as they came).
  void exited.then((code) => {
    if (!stopping && output.length && !o.echo)
      process.stderr.write(
        `${o.name} exited with ${code} (signal ${child.signalCode}):\n${output.slice(-30).join('\n')}\n`,
      );
  });
  const service: Service = {
    name: o.name,
    process: child,
    output,
    exited,
    stop(signal = 'SIGTERM') {
      stopping = true;
      // A group may outlive its leader.
      if (o.group || (child.exitCode === null && child.signalCode === null)) kill(signal);
      return exited;
    },
  };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`${o.name} did not get ready in ${o.timeoutMs ?? 20000} ms:\n${output.slice(-20).join('\n')}`));
    }, o.timeoutMs ?? 20000);
    const ready = () => {
      clearTimeout(timer);
      resolveReady(service);
    };
    if (o.ready === 'ipc') child.on('message', (m: { ready?: boolean }) => m.ready && ready());
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 2000) output.shift();
      o.echo?.(line);
      if (o.ready !== 'ipc' && o.ready.test(line)) ready();
    };
    child.stdout?.on('data', byLine(onLine));
    child.stderr?.on('data', byLine(onLine));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${o.name} could not start: ${err.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${o.name} exited with ${code} before it was ready:\n${output.slice(-20).join('\n')}`));
    });
  });
}

export function startRedis(
  port: number,
  dir: string,
  echo?: (line: string) => void,
  wrap?: string[],
  group?: boolean,
): Promise<Service> {
  mkdirSync(dir, { recursive: true });
  return spawnService({
    name: 'redis',
    command: 'redis-server',
    args: [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      // A pub/sub subscriber (lila-core on site-in, a relay on its rooms) is cut only past 256 MB
      // behind, or 64 MB for a minute: at the benchmarks' peak (~5 MB/s on site-in) a stall of
      // lila-core of tens of seconds, not the 6 s Redis's default (32 MB) allows. See README.
      ...['--client-output-buffer-limit', 'pubsub 256mb 64mb 60'],
    ],
    ready: /Ready to accept connections/,
    echo,
    wrap,
    group,
  });
}

export function startFerretdb(
  port: number,
  dir: string,
  echo?: (line: string) => void,
  wrap?: string[],
  group?: boolean,
  /** FerretDB's postgresql backend on this server (postgresUrl), instead of SQLite files in `dir`. */
  postgres?: string,
): Promise<Service> {
  return spawnService({
    name: 'ferretdb',
    command: ferretdbBin(),
    args: [
      '--listen-addr',
      `127.0.0.1:${port}`,
      ...(postgres ? ['--postgresql-url', postgres] : ['--sqlite-dir', dir]),
    ],
    ready: /ferretdb listening/,
    echo,
    wrap,
    group,
  });
}

/**
 * Debian's PostgreSQL server programs: PG_BIN, else the newest /usr/lib/postgresql/<major>/bin
 * (not on a user's PATH), else PATH.
 */
export const postgresBin = (program: string): string => {
  if (process.env.PG_BIN) return join(process.env.PG_BIN, program);
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((m) => existsSync(join(root, m, 'bin', program)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return majors.length ? join(root, majors[0], 'bin', program) : program;
};

/** The user PostgreSQL runs as: itself when not root, else Debian's `postgres` (it refuses root). */
const asPostgresUser = (dir: string): string[] => {
  if (process.getuid?.() !== 0) return [];
  // The cluster's folder must belong to the user that runs it, who must also reach it: the
  // stack's own data folder (a test's is made 0700) is opened to traversal, not to reading.
  execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  chmodSync(dirname(dir), statSync(dirname(dir)).mode | 0o111);
  return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
};

/**
 * PostgreSQL for FerretDB's postgresql backend: a private cluster in `dir` (made with initdb on
 * first use), listening on loopback `port` only (no Unix socket), its superuser `lila` trusted
 * there (see `postgresUrl`). Durable as PostgreSQL is by default, said out loud: fsync on, every
 * commit flushed to the WAL before it is acknowledged (FerretDB's insert of a batch is one
 * transaction: one flush). Runs as `postgres` under root (setpriv execs, so the pid and signals
 * are the server's own).
 */
export function startPostgres(
  port: number,
  dir: string,
  echo?: (line: string) => void,
  wrap?: string[],
  group?: boolean,
): Promise<Service> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const user = asPostgresUser(dir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    const [command, ...args] = [
      ...user,
      postgresBin('initdb'),
      ...['-D', dir, '-U', 'lila', '--auth=trust', '-E', 'UTF8', '--no-instructions'],
    ];
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return spawnService({
    name: 'postgres',
    command: user.length ? user[0] : postgresBin('postgres'),
    args: [
      ...(user.length ? [...user.slice(1), postgresBin('postgres')] : []),
      ...['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'fsync=on', '-c', 'synchronous_commit=on', '-c', 'full_page_writes=on'],
    ],
    ready: /database system is ready to accept connections/,
    timeoutMs: 30_000,
    echo,
    wrap,
    group,
  });
}

/** Where FerretDB finds the cluster startPostgres runs on `port`: its `postgres` database. */
export const postgresUrl = (port: number): string => `postgres://lila@127.0.0.1:${port}/postgres`;

/** nginx from NGINX_BIN, else Debian's /usr/sbin/nginx (often not on a user's PATH), else PATH. */
export const nginxBin = (): string =>
  process.env.NGINX_BIN ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

/**
 * nginx in the foreground on a configuration rendered by scripts/stack/nginx-conf.ts, with `prefix` as its
 * home. Ready once the master has started a worker: its listening socket is open by then.
 */
export function startNginx(prefix: string, conf: string, echo?: (line: string) => void): Promise<Service> {
  return spawnService({
    name: 'nginx',
    command: nginxBin(),
    args: ['-p', prefix, '-c', conf, '-g', 'daemon off;'],
    ready: /start worker process/,
    group: true,
    echo,
  });
}

const nodeEntry = { core: 'dist/lila-core/main.js', relay: 'dist/ws-server/main.js' } as const;

/**
 * lila-core or a relay, from the compiled output, configured only by environment. `nodeArgs` go to
 * Node itself (the benchmarks' `--cpu-prof`, which NODE_OPTIONS does not take).
 */
export function startNode(
  kind: 'core' | 'relay',
  env: NodeJS.ProcessEnv,
  echo?: (line: string) => void,
  name: string = kind,
  wrap?: string[],
  nodeArgs: string[] = [],
  group?: boolean,
): Promise<Service> {
  return spawnService({
    name,
    command: process.execPath,
    args: [...nodeArgs, join(projectRoot, nodeEntry[kind])],
    env,
    ready: 'ipc',
    echo,
    wrap,
    group,
  });
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

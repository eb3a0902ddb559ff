/**
 * Renders nginx/lila.conf.template for one deployment. Pure: the template's text in, the
 * configuration's text out. Every value is checked before it lands in the file, because a stray
 * `;` or `}` in an address would be read by nginx as configuration.
 */

/** Per client address. nginx/README.md gives the arithmetic behind each number. */
export type Limits = {
  /** New sockets a second, sustained. */
  socketRate: number;
  /** New sockets at once, above the rate, before any is refused. */
  socketBurst: number;
  /** Sockets open and requests in flight, together. */
  connPerIp: number;
  /** HTTP API requests a second, sustained. */
  apiRate: number;
  apiBurst: number;
};

export const LIMITS: Limits = { socketRate: 20, socketBurst: 200, connPerIp: 500, apiRate: 20, apiBurst: 100 };

/** A relay's passive health check: this many failures within `failTimeout` seconds rest it that long. */
export const RELAY_FAILS = { maxFails: 3, failTimeout: 5 };

export type NginxOptions = {
  /** `host:port` the edge listens on, or a bare port (all addresses). */
  listen: string;
  /** The relays, `host:port` each. */
  relays: string[];
  /** lila-core's HTTP address, `host:port`. */
  core: string;
  /** Absolute folder of the static site. */
  webRoot: string;
  /** Absolute folder for the pid file and nginx's scratch files. */
  prefix: string;
  /**
   * The JSON access log's file; `<prefix>/access.log` by default. Not /dev/stdout under Node:
   * a child's stdout is a socket there, which nginx cannot open by name.
   */
  accessLog?: string;
  /** The workers' user, when the master runs as root; nginx ignores it otherwise. */
  user?: string;
  workers?: number | 'auto';
  limits?: Partial<Limits>;
};

const address = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;
const absolutePath = /^\/[^\s;{}'"$\\]*$/;
const userName = /^[a-z_][a-z0-9_-]*(?: [a-z_][a-z0-9_-]*)?$/;

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new Error(`nginx: bad ${what}: ${JSON.stringify(value)}`);
}

function positiveInt(what: string, n: number): string {
  check(Number.isInteger(n) && n > 0, what, n);
  return String(n);
}

export function renderNginxConf(template: string, o: NginxOptions): string {
  check(address.test(o.listen) || /^\d{1,5}$/.test(o.listen), 'listen address', o.listen);
  check(o.relays.length > 0, 'relay list (empty)', o.relays);
  for (const relay of o.relays) check(address.test(relay), 'relay address', relay);
  check(address.test(o.core), 'core address', o.core);
  for (const [what, path] of [
    ['web root', o.webRoot],
    ['prefix', o.prefix],
  ] as const)
    check(absolutePath.test(path), what, path);
  const prefix = o.prefix.replace(/(.)\/+$/, '$1');
  const accessLog = o.accessLog ?? `${prefix}/access.log`;
  check(absolutePath.test(accessLog) || accessLog === 'off', 'access log', accessLog);
  if (o.user !== undefined) check(userName.test(o.user), 'user', o.user);
  const workers = o.workers ?? 'auto';
  const limits = { ...LIMITS, ...o.limits };

  const values: Record<string, string> = {
    user: o.user === undefined ? '' : `user ${o.user};\n`,
    workers: workers === 'auto' ? 'auto' : positiveInt('worker count', workers),
    prefix,
    access_log: accessLog,
    listen: o.listen,
    web_root: o.webRoot,
    core: o.core,
    relay_servers: o.relays
      .map((r) => `        server ${r} max_fails=${RELAY_FAILS.maxFails} fail_timeout=${RELAY_FAILS.failTimeout}s;\n`)
      .join(''),
    socket_rate: positiveInt('socket rate', limits.socketRate),
    socket_burst: positiveInt('socket burst', limits.socketBurst),
    conn_per_ip: positiveInt('connections per address', limits.connPerIp),
    api_rate: positiveInt('API rate', limits.apiRate),
    api_burst: positiveInt('API burst', limits.apiBurst),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx: the template names an unknown value {{${name}}}`);
    return value;
  });
}

/** A port on loopback, as the local stack and the tests run everything. */
export const loopback = (port: number | string): string => `127.0.0.1:${port}`;

import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { SITE_IN } from '../../protocol/channels.js';
import { CoreIn } from '../../protocol/core-in.js';
import type { Service } from '../stack/services.js';
import { Counter } from './tally.js';

/**
 * What the fuzzer watches besides its sockets: every message on Redis `site-in` (each must parse
 * as protocol's CoreIn), the processes' memory (VmRSS, after a full garbage collection asked of
 * each through its inspector), and their health.
 */

export class SiteInMonitor {
  readonly byType = new Counter();
  invalid = 0;
  readonly samples: string[] = [];
  private readonly redis: Redis;

  private constructor(url: string) {
    this.redis = new Redis(url, { connectionName: 'fuzz:site-in', maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined); // ioredis reconnects; a gap would show as missing counts
    this.redis.on('message', (_channel: string, message: string) => this.check(message));
  }

  static async start(url: string): Promise<SiteInMonitor> {
    const monitor = new SiteInMonitor(url);
    await monitor.redis.subscribe(SITE_IN);
    return monitor;
  }

  /** When the last message other than a relay's `tick` or `online` came: lila-core has work while this is recent. */
  lastActionAt = Date.now();

  /** Resolves once no client action has come for `quietMs` (or after `timeoutMs`). */
  async quiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() - this.lastActionAt < quietMs && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
  }

  private check(message: string): void {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      json = undefined;
    }
    const parsed = json === undefined ? undefined : CoreIn.safeParse(json);
    if (parsed?.success) {
      if (parsed.data.t !== 'tick' && parsed.data.t !== 'online') this.lastActionAt = Date.now();
      return this.byType.add(parsed.data.t);
    }
    this.invalid++;
    this.byType.add('(invalid)');
    if (this.samples.length < 10)
      this.samples.push(
        `${message.slice(0, 500)}${parsed ? ` — ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` : ' — not JSON'}`,
      );
  }

  async stop(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Resident memory of a process, in KiB, from /proc (Linux). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** The inspector's WebSocket URL a Node process printed when started with `--inspect=127.0.0.1:0`. */
export function inspectorUrl(service: Service): string | undefined {
  for (const line of service.output) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Node's own view of its memory (process.memoryUsage()), in bytes. */
export type HeapUsage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };

/**
 * A full garbage collection in that process, through the DevTools protocol, then its
 * process.memoryUsage(): a growth of the JS heap is a leak of ours, one of RSS alone is native
 * (uWS, buffers) or fragmentation.
 */
export function collectGarbage(url: string, timeoutMs = 15_000): Promise<HeapUsage> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.terminate(), reject(new Error(`no GC answer from ${url}`))), timeoutMs);
    ws.on('open', () => {
      ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      ws.send(
        JSON.stringify({
          id: 2,
          method: 'Runtime.evaluate',
          params: { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true },
        }),
      );
    });
    ws.on('message', (data) => {
      const answer = JSON.parse((data as Buffer).toString()) as {
        id?: number;
        result?: { result?: { value?: string } };
      };
      if (answer.id !== 2) return;
      clearTimeout(timer);
      ws.close();
      const value = answer.result?.result?.value;
      if (value === undefined)
        process.stderr.write(`memoryUsage through ${url}: ${JSON.stringify(answer).slice(0, 500)}\n`);
      resolve(JSON.parse(value ?? '{}') as HeapUsage);
    });
    ws.on('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/**
 * A heap snapshot of that process written to `path` (v8.writeHeapSnapshot, through the DevTools
 * protocol), to compare two readings object by object when memory grows.
 */
export function writeHeapSnapshot(url: string, path: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.terminate(), reject(new Error(`no snapshot from ${url}`))), timeoutMs);
    ws.on('open', () =>
      ws.send(
        JSON.stringify({
          id: 1,
          method: 'Runtime.evaluate',
          params: {
            expression: `process.getBuiltinModule('node:v8').writeHeapSnapshot(${JSON.stringify(path)})`,
            returnByValue: true,
          },
        }),
      ),
    );
    ws.on('message', () => (clearTimeout(timer), ws.close(), resolve()));
    ws.on('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/** Whether a process still runs. */
export const running = (service: Service): boolean =>
  service.process.exitCode === null && service.process.signalCode === null;

/** `GET <url>/health`: its status (0 when nothing answers). */
export async function healthStatus(httpUrl: string): Promise<number> {
  try {
    const res = await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(5000) });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

/** A relay's open sockets, from its `/health`. */
export async function relayConnections(httpUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(5000) });
    return ((await res.json()) as { connections?: number }).connections;
  } catch {
    return undefined;
  }
}

/** The sum of a counter's samples in a process's Prometheus text (`GET /metrics`), 0 when absent. */
export async function metricSum(httpUrl: string, name: string): Promise<number> {
  const text = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) }).then((res) => res.text());
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  return sum;
}

/**
 * Resolves once lila-core has no game action queued or running (or at `timeoutMs`), to whether it
 * got there: a quiet `site-in` alone leaves a backlog behind a slow database, and memory read then
 * counts that work in flight as growth.
 */
export async function coreIdle(httpUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = await metricSum(httpUrl, 'lila_core_game_actions_queued').catch(() => NaN);
    if (queued === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

import { afterExit, NO_RESTARTS, RESTART_POLICY, type RestartPolicy, type Restarts } from './backoff.js';
import type { Service } from './services.js';

/**
 * Keeps the local stack's processes running: a child that exits while the stack is not stopping
 * is started again after a delay (backoff.ts), with one line saying what exited, how, and when it
 * comes back. Only `stop()` ends them, tier after tier, so that nothing is cut off from what it
 * needs while it finishes (relays drain into lila-core, which saves into the stores).
 */
export type Child = {
  name: string;
  /** Lower tiers stop first; children of one tier stop together. */
  stopTier: number;
  /** Spawns the process and resolves once it is ready (services.ts). */
  start: () => Promise<Service>;
};

export type Supervisor = {
  /** Starts a child and keeps it running; rejects if its first start fails (a port taken, a bad setting). */
  run(child: Child): Promise<Service>;
  /** Stops every child, lowest tier first; nothing is restarted from then on. */
  stop(): Promise<void>;
};

type Entry = {
  child: Child;
  service?: Service;
  startedAt: number;
  restarts: Restarts;
  timer?: NodeJS.Timeout;
  /** A restart under way, which `stop()` waits for. */
  starting?: Promise<void>;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

export function createSupervisor(o: {
  /** One line for the operator per start, exit and failed restart. */
  say: (line: string) => void;
  policy?: RestartPolicy;
  now?: () => number;
}): Supervisor {
  const policy = o.policy ?? RESTART_POLICY;
  const now = o.now ?? Date.now;
  const entries: Entry[] = [];
  let stopping = false;

  const watch = (entry: Entry, service: Service, verb: string) => {
    entry.service = service;
    entry.startedAt = now();
    o.say(`${entry.child.name} ${verb} (pid ${service.process.pid})`);
    void service.exited.then((code) => exited(entry, service, code));
  };

  const later = (entry: Entry, upMs: number, what: string) => {
    const next = afterExit(entry.restarts, upMs, policy);
    entry.restarts = next.restarts;
    o.say(`${entry.child.name} ${what}; restarting in ${seconds(next.delayMs)}`);
    entry.timer = setTimeout(() => {
      entry.starting = restart(entry);
    }, next.delayMs);
  };

  async function exited(entry: Entry, service: Service, code: number | null): Promise<void> {
    if (stopping) return;
    entry.service = undefined;
    // What a dead leader leaves behind goes too: nginx's workers would keep its port.
    await service.stop('SIGKILL');
    if (stopping) return;
    const signal = service.process.signalCode;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const upMs = now() - entry.startedAt;
    later(entry, upMs, `exited (${how}) after ${seconds(upMs)} up`);
  }

  async function restart(entry: Entry): Promise<void> {
    entry.timer = undefined;
    if (stopping) return;
    try {
      const service = await entry.child.start();
      if (stopping) {
        await service.stop('SIGTERM');
        return;
      }
      watch(entry, service, 'restarted');
    } catch (err) {
      if (!stopping) later(entry, 0, `could not start (${firstLine(err)})`);
    }
  }

  return {
    async run(child) {
      const service = await child.start();
      if (stopping) {
        await service.stop('SIGTERM');
        throw new Error(`${child.name} started while the stack stops`);
      }
      const entry: Entry = { child, startedAt: now(), restarts: NO_RESTARTS };
      entries.push(entry);
      watch(entry, service, 'started');
      return service;
    },

    async stop() {
      stopping = true;
      const tiers = [...new Set(entries.map((e) => e.child.stopTier))].sort((a, b) => a - b);
      for (const tier of tiers) {
        const tierNow = entries.filter((e) => e.child.stopTier === tier);
        o.say(`stopping ${tierNow.map((e) => e.child.name).join(', ')}`);
        await Promise.all(
          tierNow.map(async (e) => {
            clearTimeout(e.timer);
            // A restart under way stops what it started itself.
            await e.starting;
            await e.service?.stop('SIGTERM');
          }),
        );
      }
    },
  };
}

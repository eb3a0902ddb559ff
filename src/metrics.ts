import { collectDefaultMetrics, Registry, type Counter } from 'prom-client';

/**
 * One Prometheus registry per process, with Node's own metrics (event-loop lag, memory, CPU)
 * under the process's prefix: `lila_core_...` or `lila_relay_...`.
 */
export function createRegistry(prefix: 'lila_core_' | 'lila_relay_'): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: 20 });
  return registry;
}

/**
 * A counter of one label, its child per value made once: prom-client hashes a labels object at
 * every `inc`, which on a per-message path (every move) is work for nothing.
 */
export function countBy<L extends string>(counter: Counter<L>, label: L): (value: string) => void {
  const children = new Map<string, { inc: () => void }>();
  return (value) => {
    let child = children.get(value);
    if (!child) children.set(value, (child = counter.labels({ [label]: value } as Partial<Record<L, string>>)));
    child.inc();
  };
}

import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process, with Node's own metrics (event-loop lag, memory, CPU)
 * under the process's prefix: `lila_core_...` or `lila_relay_...`.
 */
export function createRegistry(prefix: 'lila_core_' | 'lila_relay_'): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: 20 });
  return registry;
}

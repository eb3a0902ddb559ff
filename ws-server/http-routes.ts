import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Registry } from 'prom-client';
import { encodeRelayHealth, encodeRelayLive } from '../protocol/http.js';

/** The liveness body never changes: encoded once. */
const LIVE = encodeRelayLive({ live: true });

/**
 * A relay's HTTP routes besides its sockets: `/metrics` for Prometheus, `/health/live` (the
 * process answers), and readiness at `/health` and `/health/ready` (Redis connected, not draining:
 * nginx sends sockets elsewhere while it is not).
 */
export function serveHttp(
  app: TemplatedApp,
  o: {
    registry: Registry;
    connected: () => boolean;
    ready: () => boolean;
    startedAt: number;
    connections: () => number;
  },
): void {
  app.get('/metrics', (res) => {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    o.registry.metrics().then(
      (text) => {
        if (aborted) return;
        res.cork(() => res.writeHeader('content-type', o.registry.contentType).end(text));
      },
      // A collector that throws fails this scrape (Prometheus records it), not the relay.
      () => {
        if (aborted) return;
        res.cork(() => res.writeStatus('500 Internal Server Error').end());
      },
    );
  });

  app.get('/health/live', (res) => {
    res.cork(() => res.writeHeader('content-type', 'application/json').end(LIVE));
  });

  // Readiness, also at /health: Redis connected. (A draining relay no longer listens at all.)
  const readiness = (res: HttpResponse) => {
    const body = encodeRelayHealth({
      redis: o.connected() ? 'connected' : 'disconnected',
      uptime: Math.round((Date.now() - o.startedAt) / 1000),
      connections: o.connections(),
    });
    res.cork(() => {
      res.writeStatus(o.ready() ? '200 OK' : '503 Service Unavailable').writeHeader('content-type', 'application/json');
      res.end(body);
    });
  };
  app.get('/health', readiness);
  app.get('/health/ready', readiness);
}

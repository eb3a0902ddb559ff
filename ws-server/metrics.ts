import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What a relay holds right now, read when the metrics are scraped. */
export type Held = { rooms: () => number; moves: () => number };

/** What a relay counts (names listed in the README's Operations section). */
export function relayMetrics(registry: Registry, held: Held) {
  const registers = [registry];
  const metrics = {
    sockets: new Gauge({
      name: 'lila_relay_sockets',
      help: 'Open WebSockets, by endpoint and whether signed in.',
      labelNames: ['endpoint', 'auth'] as const,
      registers,
    }),
    framesIn: new Counter({
      name: 'lila_relay_frames_in_total',
      help: 'Frames received from clients, by type.',
      labelNames: ['type'] as const,
      registers,
    }),
    framesOut: new Counter({
      name: 'lila_relay_frames_out_total',
      help: 'Frames sent: to one socket, or published to a topic (once per publish).',
      labelNames: ['to'] as const,
      registers,
    }),
    refused: new Counter({
      name: 'lila_relay_frames_refused_total',
      help: 'Client frames refused, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: 'lila_relay_rate_limited_total',
      help: 'Client frames dropped past their socket rate limit, by kind (move, chat, other).',
      labelNames: ['kind'] as const,
      registers,
    }),
    floodClosed: new Counter({
      name: 'lila_relay_flood_closed_total',
      help: 'Sockets closed (1008) for sending past their rate limits again and again.',
      registers,
    }),
    upgradesRefused: new Counter({
      name: 'lila_relay_upgrades_refused_total',
      help: 'Socket upgrades refused, by the code of their error (forbidden_origin, bad_token, unavailable...).',
      labelNames: ['code'] as const,
      registers,
    }),
    repairs: new Counter({
      name: 'lila_relay_room_repairs_total',
      help: 'Rooms found missing events: replay asked of lila-core, or given up (their sockets reconnect).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    redisLag: new Histogram({
      name: 'lila_relay_redis_roundtrip_seconds',
      help: 'Round trip of a timestamped probe published to Redis and heard back.',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
  };
  new Gauge({
    name: 'lila_relay_rooms_held',
    help: 'Rooms this relay is subscribed to in Redis.',
    registers,
    collect() {
      this.set(held.rooms());
    },
  });
  new Gauge({
    name: 'lila_relay_moves_held',
    help: 'Moves held for lila-core while it is away (or Redis is), in order, delivered when it is back.',
    registers,
    collect() {
      this.set(held.moves());
    },
  });
  return metrics;
}
export type RelayMetrics = ReturnType<typeof relayMetrics>;

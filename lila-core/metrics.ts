import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { GameRepo } from './game/repo.js';

/** What lila-core counts (names listed in the README's Operations section). */
export function coreMetrics(registry: Registry) {
  const registers = [registry];
  return {
    actions: new Counter({
      name: 'lila_core_actions_total',
      help: 'Socket actions handled, by type.',
      labelNames: ['type'] as const,
      registers,
    }),
    moves: new Counter({ name: 'lila_core_moves_total', help: 'Moves accepted and saved.', registers }),
    mongoWrite: new Histogram({
      name: 'lila_core_mongo_write_seconds',
      help: 'Time to save a game change in MongoDB.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
export type CoreMetrics = ReturnType<typeof coreMetrics>;

/** What lila-core holds right now, read at each scrape. */
export function liveGauges(
  registry: Registry,
  live: {
    games: () => number;
    users: () => number;
    challenges: () => number;
    revoked: () => number;
    inDoubt: () => number;
    queued: () => number;
  },
): void {
  const registers = [registry];
  new Gauge({
    name: 'lila_core_live_games',
    help: 'Games in progress.',
    registers,
    collect() {
      this.set(live.games());
    },
  });
  new Gauge({
    name: 'lila_core_online_users',
    help: 'Users online across all relays.',
    registers,
    collect() {
      this.set(live.users());
    },
  });
  new Gauge({
    name: 'lila_core_open_challenges',
    help: 'Challenges not yet answered nor expired (bounded).',
    registers,
    collect() {
      this.set(live.challenges());
    },
  });
  new Gauge({
    name: 'lila_core_revoked_sessions',
    help: 'Revoked sessions whose tokens have not expired yet (bounded).',
    registers,
    collect() {
      this.set(live.revoked());
    },
  });
  new Gauge({
    name: 'lila_core_saves_in_doubt',
    help: 'Games whose last save failed without telling whether it landed, until the database has said.',
    registers,
    collect() {
      this.set(live.inDoubt());
    },
  });
  new Gauge({
    name: 'lila_core_game_actions_queued',
    help: 'Game actions waiting or running: a backlog that grows says lila-core (or its database) falls behind.',
    registers,
    collect() {
      this.set(live.queued());
    },
  });
}

/** The repo with every game write timed: MongoDB's latency is what a move waits for before its ack. */
export function timedWrites(repo: GameRepo, histogram: Histogram): GameRepo {
  return {
    ...repo,
    async update(...args) {
      const done = histogram.startTimer();
      try {
        return await repo.update(...args);
      } finally {
        done();
      }
    },
  };
}

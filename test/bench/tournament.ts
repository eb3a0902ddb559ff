import { performance } from 'node:perf_hooks';
import type { Game } from '../../lila-core/game/game.js';
import { newArena, ranking, settlePairing, standingPage } from '../../lila-core/tournament/arena.js';
import { pairingPass, type PassDeps } from '../../lila-core/tournament/pass.js';
import { manualClock } from '../../lila-core/time.js';

/**
 * The arena benchmark (issue #17): a 1,000-player tournament on the manual clock, in memory (the
 * database and the games stubbed, so that what is timed is the pass and the standings alone). Here
 * rather than in bench/, which may not import lila-core (scripts/layout/rules.ts).
 * `node dist/test/bench/tournament.js [players] [rounds]` prints JSON figures (ms).
 */
const players = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 10);
let seed = 20261207;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const clock = manualClock(0);
const arena = newArena(
  {
    id: 'bench001',
    name: 'Bench',
    clock: { limit: 180, increment: 0 },
    minutes: 120,
    startsAt: 0,
    finishesAt: 120 * 60_000,
    berserkable: true,
    streaks: true,
    createdBy: 'p0',
    createdAt: 0,
  },
  Array.from({ length: players }, (_, i) => ({
    id: `p${i}`,
    name: `P${i}`,
    rating: 800 + Math.floor(random() * 1800),
    joinedAt: i,
    withdrawn: false,
  })),
);
let games = 0;
const deps: PassDeps = {
  presence: { isIn: () => true },
  games: { isPlaying: () => false, peek: () => undefined, read: (_id, use) => Promise.resolve(use(undefined)) },
  startGame: () => Promise.resolve({ id: `g${(games++).toString().padStart(7, '0')}` } as Game),
  insertPairings: () => Promise.resolve(),
  settled: () => Promise.resolve(),
  random,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const passes: number[] = [];
const standingsCold: number[] = [];
const pageWarm: number[] = [];
await clock.advance(20_000); // past the first 15 s of rank neighbours: the minimum-weight pairing
for (let round = 0; round < rounds; round++) {
  const t0 = performance.now();
  const made = await pairingPass(arena, clock.now(), deps);
  passes.push(performance.now() - t0);
  // Every game ends: random results, then the standings are computed afresh (a cold page 1).
  for (const p of made) {
    const r = random();
    settlePairing(arena, p.id, { status: 'done', winner: r < 0.45 ? 'white' : r < 0.9 ? 'black' : null, plies: 40 });
  }
  const t1 = performance.now();
  standingPage(arena, 1);
  standingsCold.push(performance.now() - t1);
  const t2 = performance.now();
  standingPage(arena, 50);
  pageWarm.push(performance.now() - t2);
  await clock.advance(60_000);
}
console.log(
  JSON.stringify({
    players,
    rounds,
    games,
    ranked: ranking(arena).length,
    pairingPassMs: { median: median(passes), max: Math.max(...passes) },
    standingsColdMs: { median: median(standingsCold), max: Math.max(...standingsCold) },
    standingsPageWarmMs: { median: median(pageWarm), max: Math.max(...pageWarm) },
  }),
);

import { exactMatching, windowMatching, type Weight } from '../../lila-core/tournament/matching.js';
import { newArena, ranking, type Tournament } from '../../lila-core/tournament/arena.js';
import { pairingPass, type PassDeps } from '../../lila-core/tournament/pass.js';
import {
  NO_COLORS,
  pairPlayers,
  pairWeight,
  withColor,
  type Candidate,
  type Paired,
} from '../../lila-core/tournament/pairing.js';
import {
  evenNumber,
  lastPairingMs,
  readyToPair,
  updateWaiting,
  waitThresholdMs,
} from '../../lila-core/tournament/waiting.js';
import type { Game } from '../../lila-core/game/game.js';
import { manualClock } from '../../lila-core/time.js';

/** Arena pairing (lila's rules, README Tournaments): table-driven, on the manual clock. */

const c = (id: string, rank: number, o: Partial<Candidate> = {}): Candidate => ({
  id,
  rank,
  rating: 1500,
  colors: NO_COLORS,
  ...o,
});
/** A seeded generator: the same numbers every run. */
const seeded = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const sorted = (pairs: Paired[]) => pairs.map((p) => [p.white, p.black].sort().join('-')).sort();
const colors = (...cs: ('white' | 'black')[]) => cs.reduce(withColor, NO_COLORS);

describe('waiting thresholds', () => {
  test.each<[string, number, number, number]>([
    ['ultrabullet ¼+0: 8 s', 15, 0, 8_000],
    ['hyperbullet ½+0: 10 s', 30, 0, 10_000],
    ['1+0: 15 s at least', 60, 0, 15_000],
    ['3+0: 24 s', 180, 0, 24_000],
    ['3+2: 32 s', 180, 2, 32_000],
    ['10+0: 50 s at most', 600, 0, 50_000],
  ])('%s', (_name, limit, increment, ms) => expect(waitThresholdMs({ limit, increment })).toBe(ms));

  test.each<[string, number, number]>([
    ['1+0: 30 s', 60, 30_000],
    ['3+0: 90 s', 180, 90_000],
    ['10+0: 120 s', 600, 120_000],
  ])('no new pairing in the last max(30 s, min(base / 2, 120 s)): %s', (_name, limit, ms) =>
    expect(lastPairingMs({ limit, increment: 0 })).toBe(ms),
  );

  test('players wait on the manual clock until two have waited the threshold (3+0: 24 s)', async () => {
    const clock = manualClock(0);
    const blitz = { limit: 180, increment: 0 };
    let waiting = updateWaiting(new Map(), ['a'], clock.now());
    await clock.advance(10_000);
    waiting = updateWaiting(waiting, ['a', 'b'], clock.now());
    expect(readyToPair(waiting, clock.now(), blitz, false)).toBe(true); // the first pairing goes at once
    expect(readyToPair(waiting, clock.now(), blitz, true)).toBe(false);
    await clock.advance(14_000); // a: 24 s, b: 14 s
    expect(readyToPair(waiting, clock.now(), blitz, true)).toBe(false);
    await clock.advance(10_000); // b: 24 s
    expect(readyToPair(updateWaiting(waiting, ['a', 'b'], clock.now()), clock.now(), blitz, true)).toBe(true);
    // One who leaves and comes back waits from scratch.
    waiting = updateWaiting(updateWaiting(waiting, ['a'], clock.now()), ['a', 'b'], clock.now());
    expect(readyToPair(waiting, clock.now(), blitz, true)).toBe(false);
  });

  test('more than 100 waiting pair at once; one alone never', () => {
    const many = new Map(Array.from({ length: 101 }, (_, i) => [`p${i}`, 1_000] as const));
    expect(readyToPair(many, 1_000, { limit: 180, increment: 0 }, true)).toBe(true);
    expect(readyToPair(new Map([['a', 0]]), 100_000, { limit: 180, increment: 0 }, false)).toBe(false);
  });

  test('with an odd number, the one who came last waits', () => {
    expect(
      evenNumber(
        new Map([
          ['a', 1],
          ['b', 3],
          ['c', 2],
        ]),
      ),
    ).toEqual(['a', 'c']);
  });
});

describe('pairing', () => {
  const random = seeded(7);
  test.each<[string, Candidate[], string[]]>([
    ['two players play', [c('a', 1), c('b', 2)], ['a-b']],
    ['rank neighbours play: 1-2, 3-4', [c('a', 1), c('b', 2), c('c', 3), c('d', 4)], ['a-b', 'c-d']],
    [
      'never the last opponent again: 1-3, 2-4',
      [c('a', 1, { lastOpponent: 'b' }), c('b', 2, { lastOpponent: 'a' }), c('c', 3), c('d', 4)],
      ['a-c', 'b-d'],
    ],
    ['two who just played each other, alone: nobody is paired', [c('a', 1, { lastOpponent: 'b' }), c('b', 2)], []],
    [
      'never a third game with one colour: two with two whites in a row do not meet',
      [
        c('a', 1, { colors: colors('white', 'white') }),
        c('b', 2, { colors: colors('white', 'white') }),
        c('c', 3),
        c('d', 4),
      ],
      ['a-c', 'b-d'],
    ],
    [
      'rank outweighs rating: 1-2 and 3-4, though 1 and 3 are 10 points apart',
      [
        c('a', 1, { rating: 2000 }),
        c('b', 2, { rating: 1000 }),
        c('c', 3, { rating: 1990 }),
        c('d', 4, { rating: 1010 }),
      ],
      ['a-b', 'c-d'],
    ],
  ])('%s', (_name, players, expected) => {
    expect(sorted(pairPlayers(players, { proximity: false, random }))).toEqual(expected);
  });

  test('colours: a player with two blacks in a row gets white; else the one with fewer whites', () => {
    const [p] = pairPlayers([c('a', 1, { colors: colors('black', 'black') }), c('b', 2)], { proximity: false, random });
    expect(p).toEqual({ white: 'a', black: 'b' });
    const [q] = pairPlayers([c('a', 1, { colors: colors('white') }), c('b', 2, { colors: colors('black') })], {
      proximity: false,
      random,
    });
    expect(q).toEqual({ white: 'b', black: 'a' });
  });

  test('in the first 15 s: rank neighbours, whatever the ratings', () => {
    const players = [c('a', 1, { rating: 2000 }), c('b', 2, { rating: 1000 }), c('c', 3, { rating: 1990 }), c('d', 4)];
    expect(sorted(pairPlayers(players, { proximity: true, random }))).toEqual(['a-b', 'c-d']);
  });

  test('above 100: groups of neighbours by rank, everyone paired once, nobody across far ranks', () => {
    const players = Array.from({ length: 250 }, (_, i) => c(`p${i}`, i + 1, { rating: 1000 + ((i * 37) % 900) }));
    const pairs = pairPlayers(players, { proximity: false, random });
    expect(pairs).toHaveLength(125);
    expect(new Set(pairs.flatMap((p) => [p.white, p.black])).size).toBe(250);
    const rank = (id: string) => Number(id.slice(1));
    expect(Math.max(...pairs.map((p) => Math.abs(rank(p.white) - rank(p.black))))).toBeLessThan(84);
  });

  test('the window matcher equals the exact optimum on random arenas of 12 to 16 players', () => {
    const rnd = seeded(42);
    let worst = 1;
    for (let run = 0; run < 60; run++) {
      const n = 12 + (run % 5);
      const players = Array.from({ length: n }, (_, i) =>
        c(`p${i}`, i + 1, {
          rating: 1200 + Math.floor(rnd() * 800),
          ...(rnd() < 0.3 && { lastOpponent: `p${Math.floor(rnd() * n)}` }),
        }),
      );
      const weight: Weight = (i, j) => {
        const [a, b] = [players[i], players[j]];
        return a.lastOpponent === b.id || b.lastOpponent === a.id ? undefined : pairWeight(a, b, n);
      };
      const total = (m: [number, number][]) => m.reduce((s, [i, j]) => s + weight(i, j)!, 0);
      const exact = exactMatching(n, weight);
      const improved = windowMatching(n, weight);
      expect(improved).toHaveLength(exact.length);
      worst = Math.max(worst, total(improved) / total(exact));
    }
    expect(worst).toBe(1);
  });
});

describe('a pairing pass', () => {
  const tournament: Tournament = {
    id: 't1',
    name: 'Test',
    clock: { limit: 180, increment: 0 },
    minutes: 30,
    startsAt: 0,
    finishesAt: 30 * 60_000,
    berserkable: true,
    streaks: true,
    createdBy: 'a',
    createdAt: 0,
  };
  const deps = (present: Set<string>, started: string[]): PassDeps => ({
    presence: { isIn: (_room, user) => present.has(user) },
    games: { isPlaying: () => false, peek: () => undefined, read: (_id, use) => Promise.resolve(use(undefined)) },
    startGame: ({ players }) => {
      started.push(`${players.white.id}-${players.black.id}`);
      return Promise.resolve({ id: `g${started.length}`.padEnd(8, '0') } as Game);
    },
    insertPairings: () => Promise.resolve(),
    settled: () => Promise.resolve(),
    random: seeded(1),
  });
  const players = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
    id,
    name: id,
    rating: 1500 - i,
    joinedAt: i,
    withdrawn: false,
  }));

  test('pairs those present and not withdrawn; an odd one out waits; not in the last minutes', async () => {
    const clock = manualClock(20_000);
    const arena = newArena(tournament, players);
    arena.players.set('e', { ...arena.players.get('e')!, withdrawn: true });
    const started: string[] = [];
    const made = await pairingPass(arena, clock.now(), deps(new Set(['a', 'b', 'c', 'e']), started));
    expect(made).toHaveLength(1);
    expect(arena.waiting.size).toBe(1);
    expect(ranking(arena)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const late = newArena(tournament, players);
    expect(await pairingPass(late, tournament.finishesAt - 60_000, deps(new Set(['a', 'b']), []))).toEqual([]);
  });
});

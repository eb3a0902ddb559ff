import { pairWave, type Candidate } from '../../lila-core/lobby/pairing.js';

const p = (id: string, rating: number, misses = 0): Candidate => ({ id, rating, misses });
const ids = (pairs: [Candidate, Candidate][]) => pairs.map(([a, b]) => [a.id, b.id]);

describe('a pool wave', () => {
  test('two players close in rating are paired', () => {
    expect(pairWave([p('a', 1500), p('b', 1620)])).toEqual({ pairs: [[p('a', 1500), p('b', 1620)]], waiting: [] });
  });

  test('two players too far apart both wait; after waves missed, their range is wide enough', () => {
    expect(pairWave([p('a', 1200), p('b', 1650)])).toMatchObject({ pairs: [], waiting: [{ id: 'a' }, { id: 'b' }] });
    expect(ids(pairWave([p('a', 1200, 2), p('b', 1650, 2)]).pairs)).toEqual([['a', 'b']]);
  });

  test('the range is that of the longer wait: 1500 after 2 missed waves and a newcomer at 1850 are paired', () => {
    // 350 apart: beyond the base range of 300, within 300 + 100 × 2 (the longer wait), either way round.
    expect(ids(pairWave([p('a', 1500, 2), p('b', 1850, 0)]).pairs)).toEqual([['a', 'b']]);
    expect(ids(pairWave([p('a', 1500, 0), p('b', 1850, 2)]).pairs)).toEqual([['a', 'b']]);
  });

  test('the range is inclusive: exactly 300 apart pair at once, 301 do not; 400 after one missed wave, 401 not', () => {
    expect(ids(pairWave([p('a', 1500), p('b', 1800)]).pairs)).toEqual([['a', 'b']]);
    expect(pairWave([p('a', 1500), p('b', 1801)]).pairs).toEqual([]);
    expect(ids(pairWave([p('a', 1500, 1), p('b', 1900)]).pairs)).toEqual([['a', 'b']]);
    expect(pairWave([p('a', 1500, 1), p('b', 1901)]).pairs).toEqual([]);
  });

  test('equal ratings: the longest waiting comes first, then by id', () => {
    const wave = pairWave([p('c', 1500, 0), p('b', 1500, 1), p('a', 1500, 2), p('d', 1500, 3), p('e', 1500, 0)]);
    expect(ids(wave.pairs)).toEqual([
      ['d', 'a'],
      ['b', 'e'],
    ]);
    // c and e have waited least and leave the same cost behind: the first of them in that order waits.
    expect(wave.waiting.map((c) => c.id)).toEqual(['c']);
  });

  test('three players: the newest waits; among the newest, the one whose absence pairs the rest closest', () => {
    // c arrived last (no miss): c waits even though a and b are far apart.
    expect(pairWave([p('a', 1500, 1), p('b', 1700, 1), p('c', 1510)])).toMatchObject({
      pairs: [[{ id: 'a' }, { id: 'b' }]],
      waiting: [{ id: 'c' }],
    });
    // All new: leaving out the outlier d pairs e and f 10 points apart.
    expect(pairWave([p('d', 2000), p('e', 1500), p('f', 1510)])).toMatchObject({
      pairs: [[{ id: 'e' }, { id: 'f' }]],
      waiting: [{ id: 'd' }],
    });
    // A low outlier too: leaving out g (not the highest) pairs h and i.
    expect(pairWave([p('h', 1500), p('g', 1000), p('i', 1510)])).toMatchObject({
      pairs: [[{ id: 'h' }, { id: 'i' }]],
      waiting: [{ id: 'g' }],
    });
    // A tie in what the rest would cost: the lower rated of the two waits (the first found).
    expect(pairWave([p('k', 1700), p('j', 1600), p('l', 1500)])).toMatchObject({
      pairs: [[{ id: 'j' }, { id: 'k' }]],
      waiting: [{ id: 'l' }],
    });
  });

  test('ten players are paired by rating neighbours, in range', () => {
    const ratings = [1210, 1990, 1500, 1320, 1480, 1800, 1260, 1700, 1850, 1330];
    const wave = pairWave(ratings.map((r, i) => p(`p${i}`, r)));
    expect(wave.waiting).toEqual([]);
    expect(wave.pairs.map(([a, b]) => [a.rating, b.rating])).toEqual([
      [1210, 1260],
      [1320, 1330],
      [1480, 1500],
      [1700, 1800],
      [1850, 1990],
    ]);
  });

  test('eleven players: one waits, and the rest are all paired', () => {
    const players = Array.from({ length: 11 }, (_, i) => p(`p${i}`, 1400 + i * 20, i === 4 ? 0 : 1));
    const wave = pairWave(players);
    expect(wave.waiting.map((c) => c.id)).toEqual(['p4']);
    expect(
      wave.pairs
        .flat()
        .map((c) => c.id)
        .sort(),
    ).toEqual(
      players
        .filter((c) => c.id !== 'p4')
        .map((c) => c.id)
        .sort(),
    );
  });

  test('nobody, or one player: no pair, and the one waits', () => {
    expect(pairWave([])).toEqual({ pairs: [], waiting: [] });
    expect(pairWave([p('a', 1500)])).toEqual({ pairs: [], waiting: [p('a', 1500)] });
  });
});

import { doubtOf, judge, resumeAfter } from '../../lila-core/game/doubt.js';
import type { Game } from '../../lila-core/game/game.js';
import { move } from '../../lila-core/game/play.js';
import { newGame, WHITE } from './fixtures.js';

/**
 * A save in doubt, judged against what the database holds (doubt.ts): the slot of the version it
 * was to store holds the write, holds something else, or is open and to be fenced with the game
 * as stored. And a game read from storage resumes past the versions its last write reserved.
 */

const at = (v: number, over: Partial<Game> = {}): Game => newGame({ v, ...over });

describe('doubtOf', () => {
  test('the write, the game before it, what it wrote and its events', () => {
    const before = at(4);
    const written = at(6);
    const played = move(before, WHITE.id, 'e2e4', before.createdAt);
    if (!played.ok) throw new Error(played.message);
    const events = played.value.events;
    expect(doubtOf('w1', before, written, events)).toEqual({ w: 'w1', before, written, events });
  });
});

describe('judge', () => {
  const doubt = () => doubtOf('w1', at(4), at(6), []);

  test('the slot holds the write: it landed', () => {
    expect(judge(doubt(), { game: at(6), w: 'w1' })).toEqual({ t: 'landed' });
  });

  test('the slot holds another write (a fence of ours, another writer): taken, the stored game as it is', () => {
    const stored = at(6, { reserved: 12 });
    const verdict = judge(doubt(), { game: stored, w: 'f2' });
    expect(verdict).toEqual({ t: 'taken', game: stored });
    if (verdict.t === 'taken') expect(verdict.game).toBe(stored);
    // Past the slot: taken too, whoever wrote last.
    expect(judge(doubt(), { game: at(7), w: 'x' })).toEqual({ t: 'taken', game: at(7) });
    // A stored state without a write id (before write ids).
    expect(judge(doubt(), { game: at(6) })).toEqual({ t: 'taken', game: at(6) });
  });

  test('the slot open: a fence at the written version, the stored game otherwise, whatever its write id', () => {
    // The write id of an earlier state, even the write's own, does not count below its slot.
    for (const w of ['older', 'w1', undefined]) {
      const stored = at(5);
      const verdict = judge(doubt(), { game: stored, w });
      expect(verdict).toEqual({ t: 'open', stored, fence: at(6) });
      if (verdict.t === 'open') expect(verdict.stored).toBe(stored);
    }
  });

  test('a reservation is kept, raised to the fence version when below it; none is added', () => {
    // Above the fence: kept as it is.
    expect(judge(doubt(), { game: at(4, { reserved: 20 }), w: 'x' })).toMatchObject({
      t: 'open',
      fence: at(6, { reserved: 20 }),
    });
    // Below it: raised to it.
    expect(judge(doubt(), { game: at(4, { reserved: 5 }), w: 'x' })).toMatchObject({
      t: 'open',
      fence: at(6, { reserved: 6 }),
    });
    // None: still none (not even an undefined key).
    const verdict = judge(doubt(), { game: at(4), w: 'x' });
    expect(verdict.t === 'open' && 'reserved' in verdict.fence).toBe(false);
  });
});

describe('resumeAfter', () => {
  const filled = (game: Game, publishedV: number) => {
    const fills: [number, number][] = [];
    const resumed = resumeAfter(game, publishedV, (from, to) => fills.push([from, to]));
    return { resumed, fills };
  };

  test('no reservation, everything published: the game as it is, nothing filled', () => {
    const game = at(5);
    const { resumed, fills } = filled(game, 5);
    expect(resumed).toBe(game);
    expect(fills).toEqual([]);
  });

  test('a reservation past the stored version: resumes after it, the versions past the published filled', () => {
    const { resumed, fills } = filled(at(5, { reserved: 8 }), 5);
    expect(resumed).toEqual(at(8, { reserved: 8 }));
    expect(fills).toEqual([[6, 8]]);
  });

  test('published further than stored (the same process): only the versions past it are filled', () => {
    const { resumed, fills } = filled(at(5, { reserved: 9 }), 7);
    expect(resumed.v).toBe(9);
    expect(fills).toEqual([[8, 9]]);
  });

  test('published up to the reservation: nothing filled, the version still moves on', () => {
    const { resumed, fills } = filled(at(5, { reserved: 9 }), 9);
    expect(resumed.v).toBe(9);
    expect(fills).toEqual([]);
  });

  test('a reservation at or below the stored version: the game as it is', () => {
    for (const reserved of [3, 5]) {
      const game = at(5, { reserved });
      const { resumed, fills } = filled(game, 5);
      expect(resumed).toBe(game);
      expect(fills).toEqual([]);
    }
  });

  test('the stored version past what was published, without a reservation: those versions filled', () => {
    const game = at(6);
    const { resumed, fills } = filled(game, 4);
    expect(resumed).toBe(game);
    expect(fills).toEqual([[5, 6]]);
  });
});

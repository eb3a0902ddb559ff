import { doubtOf, judge, resumeAfter } from '../../lila-core/game/doubt.js';
import type { Game } from '../../lila-core/game/game.js';
import { move } from '../../lila-core/game/play.js';
import { newGame, WHITE } from './fixtures.js';

/**
 * A save in doubt, judged against what the database holds (doubt.ts): the write landed, a fence
 * of ours did, or a fence must go past every version the write may have used. And a game read
 * from storage resumes past the versions its last write reserved.
 */

const at = (v: number, over: Partial<Game> = {}): Game => newGame({ v, ...over });

describe('doubtOf', () => {
  test('starts with the written version as the highest in doubt, and no fence', () => {
    const before = at(4);
    const written = at(6);
    const played = move(before, WHITE.id, 'e2e4', before.createdAt);
    if (!played.ok) throw new Error(played.message);
    const events = played.value.events;
    expect(doubtOf('w1', before, written, events)).toEqual({
      w: 'w1',
      before,
      written,
      events,
      highest: 6,
      fences: [],
    });
  });
});

describe('judge', () => {
  const doubt = () => doubtOf('w1', at(4), at(6), []);

  test('the stored state carries the write id: the write landed', () => {
    expect(judge(doubt(), { game: at(6), w: 'w1' })).toEqual({ t: 'landed' });
  });

  test('the stored state carries one of our fences: fenced, the stored game as it is', () => {
    const d = { ...doubt(), fences: ['f1', 'f2'] };
    const stored = at(9, { reserved: 12 });
    const verdict = judge(d, { game: stored, w: 'f2' });
    expect(verdict).toEqual({ t: 'fenced', game: stored });
    if (verdict.t === 'fenced') expect(verdict.game).toBe(stored);
  });

  test('an earlier fence stored while a later one may still land: fenced again, past the later one', () => {
    // f1 (at 7) landed; f2 (at 8) timed out and may still land. Were the game to go on from f1, its
    // next write (v 8, say its end) would be overwritten by f2's late arrival (stored where v < 8):
    // an end published, then lost (found by the fuzz run, seed 20261125, under 5 s+ database stalls).
    const d = { ...doubt(), highest: 8, fences: ['f1', 'f2'] };
    expect(judge(d, { game: at(7), w: 'f1' })).toEqual({ t: 'fence', game: at(9) });
  });

  test('neither: a fence one past the highest version in doubt, whatever the stored one', () => {
    expect(judge(doubt(), { game: at(4), w: 'older' })).toEqual({ t: 'fence', game: at(7) });
    // A stored state without a write id (before write ids) is fenced all the same.
    expect(judge(doubt(), { game: at(4) })).toEqual({ t: 'fence', game: at(7) });
    // A write id that is neither ours nor a fence of ours.
    expect(judge({ ...doubt(), fences: ['f1'] }, { game: at(4), w: 'f9' })).toEqual({ t: 'fence', game: at(7) });
  });

  test('the fence goes past the stored version when it is the highest', () => {
    expect(judge(doubt(), { game: at(10), w: 'x' })).toEqual({ t: 'fence', game: at(11) });
  });

  test('the fence goes past the version before the write when it is the highest', () => {
    // A doubt whose written version is below the one published (cannot happen, but max says so).
    expect(judge(doubtOf('w1', at(8), at(3), []), { game: at(2), w: 'x' })).toEqual({ t: 'fence', game: at(9) });
  });

  test('the fence goes past an earlier fence in doubt (`highest`)', () => {
    const d = { ...doubt(), highest: 15, fences: ['f1'] };
    expect(judge(d, { game: at(6), w: 'x' })).toEqual({ t: 'fence', game: at(16) });
  });

  test('a reservation is kept, raised to the fence version when below it; none is added', () => {
    // Above the fence: kept as it is.
    expect(judge(doubt(), { game: at(4, { reserved: 20 }), w: 'x' })).toEqual({
      t: 'fence',
      game: at(7, { reserved: 20 }),
    });
    // Below it: raised to it.
    expect(judge(doubt(), { game: at(4, { reserved: 5 }), w: 'x' })).toEqual({
      t: 'fence',
      game: at(7, { reserved: 7 }),
    });
    // None: still none (not even an undefined key).
    const verdict = judge(doubt(), { game: at(4), w: 'x' });
    expect(verdict.t === 'fence' && 'reserved' in verdict.game).toBe(false);
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

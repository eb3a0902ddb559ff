import { applyEntry, deltaOf } from '../../lila-core/game/delta.js';
import { newGame, type Game, type Transition } from '../../lila-core/game/game.js';
import { toDoc } from '../../lila-core/game/game-doc.js';
import { drawYes, takebackYes } from '../../lila-core/game/offers.js';
import { move } from '../../lila-core/game/play.js';
import { BLACK, CLOCK, WHITE } from './fixtures.js';

/**
 * The journal's deltas (issue #16): a saved state is what changed since the state before it, and
 * the states of a game applied one after the other to its first document are the game's states.
 */
const T0 = 1_700_000_000_000;
const ok = (t: Transition): Game => {
  if (!t.ok) throw new Error(t.message);
  return t.value.game;
};

/** The states of a game: moves, a takeback (moves go back), an offer, more moves. */
function states(): Game[] {
  const line = ['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5', 'a7a6'];
  let game = newGame('delta1', { white: WHITE, black: BLACK }, CLOCK, T0);
  const all = [game];
  for (const [i, uci] of line.entries()) {
    game = ok(move(game, i % 2 ? BLACK.id : WHITE.id, uci, T0 + 1000 * (i + 1)));
    all.push(game);
  }
  game = ok(takebackYes(game, BLACK.id, T0 + 8000));
  all.push(game);
  game = ok(takebackYes(game, WHITE.id, T0 + 8500));
  all.push(game);
  game = ok(drawYes(game, WHITE.id, T0 + 9000));
  all.push(game);
  game = ok(move(game, BLACK.id, 'g8f6', T0 + 9500));
  all.push(game);
  return all;
}

test('each state applied to the one before it gives the next, through a takeback', () => {
  const all = states();
  expect(all.at(-1)!.moves).toEqual(['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5', 'g8f6']);
  let stored = toDoc(all[0], T0);
  for (let i = 1; i < all.length; i++) {
    const next = toDoc(all[i], T0 + i, `w${i}`);
    stored = applyEntry(stored, deltaOf(toDoc(all[i - 1], T0 + i), next));
    expect(stored).toEqual(next);
  }
});

test('a move stores the move and what changed, not the game', () => {
  const all = states();
  const delta = deltaOf(toDoc(all[5], T0), toDoc(all[6], T0, 'w6'));
  expect(delta.moves).toEqual({ at: 5, add: ['a7a6'] });
  expect(delta.clockHistory).toEqual({ at: 5, add: [all[6].clockHistory[5]] });
  // Nothing a move leaves as it was: not the players, the clock's settings, the game's start.
  for (const key of ['players', 'clock', 'createdAt', 'userIds', 'rated']) expect(delta.set).not.toHaveProperty(key);
  expect(delta.set).toMatchObject({ v: all[6].v, w: 'w6' });
});

test('a delta that does not follow what is stored fails loudly', () => {
  const all = states();
  const delta = deltaOf(toDoc(all[5], T0), toDoc(all[6], T0));
  expect(() => applyEntry(toDoc(all[2], T0), delta)).toThrow(/journal entry keeps 5 of 2/);
});

test("a whole document (the journal's older entries) replaces the state", () => {
  const all = states();
  expect(applyEntry(toDoc(all[1], T0), toDoc(all[3], T0))).toEqual(toDoc(all[3], T0));
});

test('a state written again unchanged: only what tells the write apart, no tails, nothing unset', () => {
  const game = { ...states()[3], reserved: 9 };
  const delta = deltaOf(toDoc(game, T0, 'w1'), toDoc(game, T0, 'w1'));
  expect(delta).toEqual({ set: { v: game.v, w: 'w1', reserved: 9, updatedAt: new Date(T0) } });
});

test('the growing arrays go as tails, never in `set`; a key the state no longer has is unset', () => {
  const all = states();
  const before = toDoc({ ...all[5], reserved: 7 }, T0);
  const next = toDoc(all[6], T0 + 1);
  const delta = deltaOf(before, next);
  expect(delta.set).not.toHaveProperty('moves');
  expect(delta.set).not.toHaveProperty('clockHistory');
  expect(delta.unset).toEqual(['reserved']);
  expect(applyEntry(before, delta)).toEqual(next);
});

test('a tail past the end says which game and which array it is missing', () => {
  const all = states();
  const doc = toDoc(all[2], T0);
  expect(() => applyEntry(doc, { set: {}, moves: { at: 5, add: ['a7a6'] } })).toThrow(
    'game delta1 moves: a journal entry keeps 5 of 2',
  );
  expect(() => applyEntry(doc, { set: {}, clockHistory: { at: 4, add: [1] } })).toThrow(
    'game delta1 clocks: a journal entry keeps 4 of 2',
  );
});

test('arrays that part before the end of the shorter (a takeback and a move in one delta): the tail starts where they part', () => {
  const all = states();
  const [before, next] = [toDoc(all[6], T0), toDoc(all.at(-1)!, T0 + 1)];
  const delta = deltaOf(before, next);
  expect(delta.moves).toEqual({ at: 5, add: ['g8f6'] });
  expect(applyEntry(before, delta)).toEqual(next);
});

import type { Game, Transition } from '../../lila-core/game/game.js';
import { move } from '../../lila-core/game/play.js';
import { BLACK, newGame, WHITE } from './fixtures.js';

/**
 * Ack ids (issue #13, item 3). A resend is the same ack id with the same move; anything else is
 * played or refused with an error, never acknowledged and dropped. Before, a lower ack id from
 * the same socket (900, then 104) counted as a resend: acked, and never played.
 */
const T0 = Date.UTC(2024, 2, 9, 12, 0, 0);

const played = (t: Transition): Game => {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  expect(t.value.events.length).toBeGreaterThan(0);
  return t.value.game;
};

/** white e2e4 (stamped 900 on socket s1), black e7e5. */
const opened = () => {
  const first = played(move(newGame(), WHITE.id, 'e2e4', T0, { sid: 's1', a: 900 }));
  return played(move(first, BLACK.id, 'e7e5', T0 + 1_000, { sid: 's2', a: 1 }));
};

test('a lower ack id from the same socket is a new move: played (900, then 104)', () => {
  const game = played(move(opened(), WHITE.id, 'g1f3', T0 + 2_000, { sid: 's1', a: 104 }));
  expect(game.moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
  expect(game.v).toBe(3);
});

test('a lower ack id out of turn is refused with an error, not taken for a resend', () => {
  const first = played(move(newGame(), WHITE.id, 'e2e4', T0, { sid: 's1', a: 900 }));
  expect(move(first, WHITE.id, 'd2d4', T0 + 1_000, { sid: 's1', a: 104 })).toMatchObject({
    ok: false,
    code: 'not_your_turn',
  });
});

test('a lower ack id with the very move last played is still not a resend: refused, as the move is', () => {
  const first = played(move(newGame(), WHITE.id, 'e2e4', T0, { sid: 's1', a: 900 }));
  expect(move(first, WHITE.id, 'e2e4', T0 + 1_000, { sid: 's1', a: 104 })).toMatchObject({
    ok: false,
    code: 'not_your_turn',
  });
});

test('the same ack id with another move is a new move', () => {
  const game = played(move(opened(), WHITE.id, 'd2d4', T0 + 2_000, { sid: 's1', a: 900 }));
  expect(game.moves).toEqual(['e2e4', 'e7e5', 'd2d4']);
});

test.each([
  ['the same socket (the relay sends it again)', 's1'],
  ['a new socket (the client sends it again after reconnecting)', 's9'],
])('the same ack id with the same move from %s is a resend: nothing changes, and it is acked again', (_, sid) => {
  const first = played(move(newGame(), WHITE.id, 'e2e4', T0, { sid: 's1', a: 900 }));
  const again = move(first, WHITE.id, 'e2e4', T0 + 500, { sid, a: 900 });
  expect(again).toMatchObject({ ok: true, value: { game: first, events: [] } });
});

test('without an ack id a move is never a resend', () => {
  const first = played(move(newGame(), WHITE.id, 'e2e4', T0, { sid: 's1', a: 900 }));
  expect(move(first, WHITE.id, 'e2e4', T0 + 500)).toMatchObject({ ok: false, code: 'not_your_turn' });
});

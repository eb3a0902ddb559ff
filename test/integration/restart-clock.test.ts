import { getGame, newGame, newUser } from '../support/api.js';
import { connect, type Client } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Clocks across a lila-core restart (system clock: this is about wall time). They continue from
 * the stored state, and the time lila-core was down is charged to the player to move.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
});
afterAll(() => stack?.stop());

type Move = { t: 'move'; v: number; d: { clock: { white: number; black: number } } };

/** Two players connected, each first move played: from now on white's clock runs. */
async function openedGame(limit: number) {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black, { limit, increment: 0 });
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${black.token}`);
  for (const s of [w, b]) await s.next((f) => f.t === 'state');
  const play = async (mover: Client, u: string, a: number): Promise<Move> => {
    mover.send({ t: 'move', d: { u, a } });
    await mover.next((f) => f.t === 'ack', 10_000);
    return w.next<Move>((f) => f.t === 'move', 10_000);
  };
  await play(w, 'e2e4', 1);
  const sentE5 = Date.now();
  await play(b, 'e7e5', 1);
  const runsSince = { atLeast: sentE5, atMost: Date.now() };
  return { gameId, w, b, play, runsSince };
}

test('after a restart the clock to move continues from the stored state, charged for the downtime', async () => {
  const { gameId, w, b, play, runsSince } = await openedGame(60);
  await stack.core.stop('SIGKILL');
  const downAt = Date.now();
  await stack.startCore();
  const upAt = Date.now();

  const sent = Date.now();
  const moved = await play(w, 'g1f3', 2);
  const received = Date.now();
  // White's clock ran all along, lila-core's downtime included: it cannot have more left than
  // 60 s minus the time from black's move to white's, nor less than the widest reading of it.
  const white = moved.d.clock.white;
  expect(white).toBeLessThanOrEqual(60 - (sent - runsSince.atMost) / 1000 + 0.05);
  expect(white).toBeGreaterThanOrEqual(60 - (received - runsSince.atLeast) / 1000 - 0.05);
  expect(60 - white).toBeGreaterThanOrEqual((upAt - downAt) / 1000 - 0.05);
  expect(moved.d.clock.black).toBe(60);
  expect(await getGame(stack, gameId)).toMatchObject({ status: 'started', moves: ['e2e4', 'e7e5', 'g1f3'] });
  w.close();
  b.close();
});

test('a clock that ran out while lila-core was down flags as soon as lila-core is back', async () => {
  const { gameId, w, b, runsSince } = await openedGame(1);
  await stack.core.stop('SIGKILL');
  // White has one second; lila-core stays down past it. Real time must pass here: nothing to await.
  const outAt = runsSince.atMost + 1_000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, outAt + 100 - Date.now())));
  await stack.startCore();
  for (const s of [w, b])
    expect(await s.next((f) => f.t === 'end', 10_000)).toMatchObject({
      v: 3,
      d: { status: 'outoftime', winner: 'black', clock: { white: 0, black: 1 } },
    });
  expect(await getGame(stack, gameId)).toMatchObject({ status: 'outoftime', winner: 'black', v: 3 });
  w.close();
  b.close();
});

import { call, newGame, newUser } from '../support/api.js';
import { connect } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/** `GET /api/games/live`: the lobby's games to watch, in progress only, the last started first. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
});
afterAll(() => stack?.stop());

test('games in progress, newest first; a finished one leaves the list', async () => {
  const [a, b, c, d] = [
    await newUser(stack, 'a'),
    await newUser(stack, 'b'),
    await newUser(stack, 'c'),
    await newUser(stack, 'd'),
  ];
  const first = await newGame(stack, a, b);
  const second = await newGame(stack, c, d);
  const listed = await call(stack, 'GET', '/api/games/live');
  expect(listed.status).toBe(200);
  expect(listed.json.games.map((g: { id: string }) => g.id)).toEqual([second, first]);
  expect(listed.json.games[0]).toMatchObject({
    players: { white: { id: c.id }, black: { id: d.id } },
    status: 'started',
  });

  const white = await connect(`${stack.relayUrls[0]}/play/${second}?token=${c.token}`);
  await white.next((f) => f.t === 'state');
  white.send({ t: 'abort' });
  await white.next((f) => f.t === 'end');
  white.close();
  expect((await call(stack, 'GET', '/api/games/live')).json.games.map((g: { id: string }) => g.id)).toEqual([first]);
});

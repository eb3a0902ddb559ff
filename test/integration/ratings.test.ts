import { MongoClient } from 'mongodb';
import { acceptedChallenge, call, newGame, newUser, type User } from '../support/api.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/** Ratings end to end: rated challenges, the `end` event's ratingDiff, users' ratings, counts and games. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
});
afterAll(() => stack?.stop());

const BLITZ = { limit: 300, increment: 3 }; // 300 + 40 × 3 = 420 s
const BULLET = { limit: 60, increment: 0 };
const FOOLS_MATE = ['f2f3', 'e7e5', 'g2g4', 'd8h4'];
const NEW = { rating: 1500, rd: 350, games: 0 };
const NO_GAMES = { games: 0, win: 0, loss: 0, draw: 0 };

type EndFrame = { t: 'end'; v: number; d: Record<string, unknown> };

/** `white` challenges `black`, who accepts; the challenge as created, and the game id. */
const challenge = (white: User, black: User, clock: typeof BLITZ, rated: boolean) =>
  acceptedChallenge(stack, white, black, { clock, rated });

/** Both players on their sockets: `moves` alternately, then `white` resigns unless the moves ended the game. */
async function play(gameId: string, white: User, black: User, moves: string[], resign: boolean) {
  const sockets: [Client, Client] = [
    await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`),
    await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${black.token}`),
  ];
  for (const s of sockets) expect(await s.next()).toMatchObject({ t: 'state' });
  for (const [i, u] of moves.entries()) {
    const mover = sockets[i % 2];
    mover.send({ t: 'move', d: { u, a: i + 1 } });
    expect(await mover.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: i + 1 });
  }
  if (resign) sockets[0].send({ t: 'resign' });
  const ends = await Promise.all(sockets.map((s) => s.next<EndFrame>((f: Frame) => f.t === 'end')));
  sockets.forEach((s) => s.close());
  expect(ends[1]).toEqual(ends[0]);
  return ends[0];
}

const user = async (u: User) => {
  const res = await call(stack, 'GET', `/api/user/${u.id}`);
  expect(res.status).toBe(200);
  return res.json;
};

test('a rated blitz game to mate: ratingDiff on the end event, new blitz ratings and counts for both', async () => {
  const [alice, bob] = [await newUser(stack, 'alice'), await newUser(stack, 'bob')];
  const { challenge: created, gameId } = await challenge(alice, bob, BLITZ, true);
  expect(created).toMatchObject({ rated: true, clock: BLITZ });

  const end = await play(gameId, alice, bob, FOOLS_MATE, false);
  // Two new players (1500, RD 350): Glicko-2 with tau 0.75 gives 1662.3 and 1337.7.
  expect(end).toEqual({
    t: 'end',
    v: 5,
    d: { winner: 'black', status: 'mate', clock: expect.any(Object), ratingDiff: { white: -162, black: 162 } },
  });

  expect(await user(alice)).toEqual({
    id: alice.id,
    name: alice.name,
    ratings: { bullet: NEW, blitz: { rating: 1338, rd: 290, games: 1 }, rapid: NEW, classical: NEW },
    count: { games: 1, win: 0, loss: 1, draw: 0 },
  });
  expect(await user(bob)).toEqual({
    id: bob.id,
    name: bob.name,
    ratings: { bullet: NEW, blitz: { rating: 1662, rd: 290, games: 1 }, rapid: NEW, classical: NEW },
    count: { games: 1, win: 1, loss: 0, draw: 0 },
  });

  // A second rated game at another speed moves only that speed's rating.
  const bullet = await play((await challenge(alice, bob, BULLET, true)).gameId, alice, bob, ['e2e4', 'e7e5'], true);
  expect(bullet.d).toMatchObject({ status: 'resign', winner: 'black', ratingDiff: { white: -162, black: 162 } });
  expect((await user(alice)).ratings).toMatchObject({ bullet: { rating: 1338, games: 1 }, blitz: { rating: 1338 } });

  // A third, at blitz again: from the stored blitz ratings, and the change shown is the change stored.
  const again = await play((await challenge(bob, alice, BLITZ, true)).gameId, bob, alice, ['e2e4', 'e7e5'], true);
  const diff = again.d.ratingDiff as { white: number; black: number };
  expect(diff.white).toBeLessThan(0); // bob, the favourite, resigned
  expect(diff.black).toBeGreaterThan(0);
  expect((await user(bob)).ratings.blitz).toMatchObject({ rating: 1662 + diff.white, games: 2 });
  expect((await user(alice)).ratings.blitz).toMatchObject({ rating: 1338 + diff.black, games: 2 });
  expect((await user(alice)).count).toEqual({ games: 3, win: 1, loss: 2, draw: 0 });
});

test("two overlapping rated games of one player at one speed: both games' changes are applied", async () => {
  const [alice, bob, carol] = [
    await newUser(stack, 'alice'),
    await newUser(stack, 'bob'),
    await newUser(stack, 'carol'),
  ];
  // Both games start (and take alice's rating, 1500) before either ends.
  const first = await challenge(bob, alice, BLITZ, true);
  const second = await challenge(carol, alice, BLITZ, true);
  const ends = [
    await play(first.gameId, bob, alice, ['e2e4', 'e7e5'], true),
    await play(second.gameId, carol, alice, ['e2e4', 'e7e5'], true),
  ];
  // Each game moves her from the 1500 it started with: +162.3 twice (the ratingDiff shown is rounded).
  for (const end of ends) expect(end.d).toMatchObject({ winner: 'black', ratingDiff: { black: 162 } });
  const blitz = (await user(alice)).ratings.blitz as { rating: number; games: number };
  expect(blitz.games).toBe(2);
  expect(Math.abs(blitz.rating - (1500 + 162 + 162))).toBeLessThanOrEqual(1);
});

test('an unrated game leaves ratings as they were, has no ratingDiff, and counts', async () => {
  const [carol, dave] = [await newUser(stack, 'carol'), await newUser(stack, 'dave')];
  const { challenge: created, gameId } = await challenge(carol, dave, BLITZ, false);
  expect(created.rated).toBe(false);
  const end = await play(gameId, carol, dave, ['e2e4', 'e7e5'], true);
  expect(Object.keys(end.d)).toEqual(['winner', 'status', 'clock']);
  for (const [u, count] of [
    [carol, { games: 1, win: 0, loss: 1, draw: 0 }],
    [dave, { games: 1, win: 1, loss: 0, draw: 0 }],
  ] as const)
    expect(await user(u)).toMatchObject({ ratings: { bullet: NEW, blitz: NEW, rapid: NEW, classical: NEW }, count });
});

test('an aborted rated game changes nothing: no ratingDiff, no count', async () => {
  const [erin, frank] = [await newUser(stack, 'erin'), await newUser(stack, 'frank')];
  const { gameId } = await challenge(erin, frank, BLITZ, true);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${erin.token}`);
  w.send({ t: 'abort' });
  const end = await w.next<EndFrame>((f) => f.t === 'end');
  w.close();
  expect(end.d).toEqual({ winner: null, status: 'aborted', clock: expect.any(Object) });
  expect(await user(erin)).toMatchObject({ ratings: { blitz: NEW }, count: NO_GAMES });
});

test('the challenge body: rated defaults to false, must be a boolean, and needs two accounts', async () => {
  const [gina, hank] = [await newUser(stack, 'gina'), await newUser(stack, 'hank')];
  const plain = await call(stack, 'POST', `/api/challenge/${hank.id}`, { clock: BLITZ }, gina.token);
  expect(plain.json.challenge.rated).toBe(false);
  const bad = await call(stack, 'POST', `/api/challenge/${hank.id}`, { clock: BLITZ, rated: 'yes' }, gina.token);
  expect(bad).toMatchObject({ status: 400, json: { error: { code: 'bad_request' } } });

  const anon = (await call(stack, 'POST', '/api/session', {})).json.token as string;
  const refused = await call(stack, 'POST', `/api/challenge/${hank.id}`, { clock: BLITZ, rated: true }, anon);
  expect(refused).toMatchObject({
    status: 400,
    json: { error: { code: 'rated_needs_account', message: expect.any(String) } },
  });
  // The same challenge unrated is fine.
  expect((await call(stack, 'POST', `/api/challenge/${hank.id}`, { clock: BLITZ }, anon)).status).toBe(201);
});

test('a user is 404 when unknown or anonymous, with the standard error', async () => {
  const anonId = (await call(stack, 'POST', '/api/session', {})).json.user.id as string;
  for (const path of ['/api/user/nobody-here', `/api/user/${anonId}`, '/api/user/nobody-here/games'])
    expect(await call(stack, 'GET', path)).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found', message: expect.any(String) } },
    });
});

test("a user's games: newest first, 10 a page, from the { userIds, createdAt } index", async () => {
  const [ivan, judy, kim] = [await newUser(stack, 'ivan'), await newUser(stack, 'judy'), await newUser(stack, 'kim')];
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await newGame(stack, ivan, i % 2 ? judy : kim));
  const newestFirst = [...ids].reverse();

  const first = await call(stack, 'GET', `/api/user/${ivan.id}/games`);
  expect(first.status).toBe(200);
  expect(first.json).toMatchObject({ page: 1, next: 2 });
  expect(first.json.games.map((g: { id: string }) => g.id)).toEqual(newestFirst.slice(0, 10));
  expect(first.json.games[0]).toMatchObject({ id: ids[11], players: { white: { id: ivan.id } }, status: 'started' });

  const second = await call(stack, 'GET', `/api/user/${ivan.id.toUpperCase()}/games?page=2`);
  expect(second.json).toMatchObject({ page: 2, next: null });
  expect(second.json.games.map((g: { id: string }) => g.id)).toEqual(newestFirst.slice(10));

  // judy played the odd ones only, as black.
  const judys = await call(stack, 'GET', `/api/user/${judy.id}/games`);
  expect(judys.json.games.map((g: { id: string }) => g.id)).toEqual(newestFirst.filter((_, i) => i % 2 === 0));
  expect((await call(stack, 'GET', `/api/user/${ivan.id}/games?page=3`)).json).toEqual({
    games: [],
    page: 3,
    next: null,
  });
  for (const page of ['0', '-1', 'x', '1.5'])
    expect(await call(stack, 'GET', `/api/user/${ivan.id}/games?page=${page}`)).toMatchObject({
      status: 400,
      json: { error: { code: 'bad_request' } },
    });

  const mongo = await MongoClient.connect(stack.mongoUrl);
  try {
    const indexes = await mongo.db().collection('games').indexes();
    expect(indexes.map((i) => i.key)).toContainEqual({ userIds: 1, createdAt: -1, _id: -1 });
  } finally {
    await mongo.close();
  }
});

import { Redis } from 'ioredis';
import { parsePgn } from 'chessops/pgn';
import { call, getGame, newGame, newUser, type User } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
});
afterAll(() => stack?.stop());

type MoveFrame = {
  t: 'move';
  v: number;
  d: { ply: number; uci: string; san: string; fen: string; clock: { white: number; black: number } };
};

test('two players on different relays and a spectator play a whole game to checkmate', async () => {
  const white: User = await newUser(stack, 'white');
  const black: User = await newUser(stack, 'black');
  const [whiteHome, blackHome] = [
    await connect(`${stack.relayUrls[0]}/user/${white.id}?token=${white.token}`),
    await connect(`${stack.relayUrls[1]}/user/${black.id}?token=${black.token}`),
  ];

  const gameId = await newGame(stack, white, black);
  // Both players are told where their game is, each on their own relay.
  expect(await whiteHome.next((f) => f.t === 'redirect')).toEqual({ t: 'redirect', d: { id: gameId } });
  expect(await blackHome.next((f) => f.t === 'redirect')).toEqual({ t: 'redirect', d: { id: gameId } });

  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`, {
    cookie: `session=${black.token}`,
  });
  const spectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}`);
  const sockets: Client[] = [w, b, spectator];

  for (const socket of sockets) {
    const state = await socket.next<Frame & { d: { moves: string[]; status: string } }>();
    expect(state).toMatchObject({ t: 'state', v: 0, d: { id: gameId, moves: [], status: 'started' } });
  }

  const { ucis, fen } = sanLine(OPERA_GAME);
  for (const [i, uci] of ucis.entries()) {
    const mover = i % 2 === 0 ? w : b;
    mover.send({ t: 'move', d: { u: uci, a: i + 1 } });
    expect(await mover.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: i + 1 });
    for (const socket of sockets) {
      const move = await socket.next<MoveFrame>((f) => f.t === 'move');
      expect(move.v).toBe(i + 1);
      expect(move.d).toMatchObject({ ply: i + 1, uci, san: OPERA_GAME[i] });
    }
  }
  for (const socket of sockets) {
    expect(await socket.next((f) => f.t === 'end')).toEqual({
      t: 'end',
      v: ucis.length + 1,
      d: { winner: 'white', status: 'mate', clock: { white: expect.any(Number), black: expect.any(Number) } },
    });
    // Every versioned frame, in order, with no gap.
    const versions = socket.seen
      .filter((f): f is Frame => typeof f === 'object' && f !== null && 'v' in f)
      .map((f) => f.v);
    expect(versions).toEqual([...Array(ucis.length + 2).keys()]);
  }

  const game = await getGame(stack, gameId);
  expect(game).toMatchObject({
    id: gameId,
    moves: ucis,
    sans: OPERA_GAME,
    fen,
    status: 'mate',
    winner: 'white',
    v: ucis.length + 1,
  });
  expect(game.players.white).toEqual({ id: white.id, name: white.name });

  const pgn = await call(stack, 'GET', `/api/game/${gameId}/pgn`);
  expect(pgn.status).toBe(200);
  const [parsed] = parsePgn(pgn.text);
  expect(parsed?.headers.get('Result')).toBe('1-0');
  expect(parsed?.headers.get('White')).toBe(white.name);
  expect([...parsed.moves.mainline()].map((node) => node.san)).toEqual(OPERA_GAME);

  sockets.concat(whiteHome, blackHome).forEach((s) => s.close());
});

test('the challenged user hears of the challenge on every open socket, and the challenger of a decline', async () => {
  const [alice, bob] = [await newUser(stack, 'alice'), await newUser(stack, 'bob')];
  const bobTabs = [
    await connect(`${stack.relayUrls[0]}/lobby?token=${bob.token}`),
    await connect(`${stack.relayUrls[1]}/site?token=${bob.token}`),
  ];
  const aliceTab = await connect(`${stack.relayUrls[0]}/site?token=${alice.token}`);

  const created = await call(
    stack,
    'POST',
    `/api/challenge/${bob.id}`,
    { clock: { limit: 60, increment: 0 }, color: 'random' },
    alice.token,
  );
  expect(created.status).toBe(201);
  const id = created.json.challenge.id;
  for (const tab of bobTabs)
    expect(await tab.next((f) => f.t === 'challenge')).toMatchObject({
      t: 'challenge',
      d: { id, challenger: { id: alice.id }, clock: { limit: 60, increment: 0 } },
    });

  expect((await call(stack, 'POST', `/api/challenge/${id}/decline`, {}, alice.token)).status).toBe(403);
  const declined = await call(stack, 'POST', `/api/challenge/${id}/decline`, {}, bob.token);
  expect(declined).toMatchObject({ status: 200, json: { challenge: { id, status: 'declined' } } });
  expect(await aliceTab.next((f) => f.t === 'challengeDeclined')).toMatchObject({ d: { id, status: 'declined' } });
  expect((await call(stack, 'POST', `/api/challenge/${id}/accept`, {}, bob.token)).status).toBe(404);

  const again = await call(
    stack,
    'POST',
    `/api/challenge/${bob.id}`,
    { clock: { limit: 60, increment: 0 } },
    alice.token,
  );
  const canceled = await call(stack, 'POST', `/api/challenge/${again.json.challenge.id}/cancel`, {}, alice.token);
  expect(canceled).toMatchObject({ status: 200, json: { challenge: { status: 'canceled' } } });
  expect(await bobTabs[0].next((f) => f.t === 'challengeCanceled')).toMatchObject({
    d: { id: again.json.challenge.id },
  });

  [...bobTabs, aliceTab].forEach((s) => s.close());
});

test('resigning ends the game for everyone, and the PGN says so', async () => {
  const [white, black] = [await newUser(stack), await newUser(stack)];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const spectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}`);
  await w.next();
  await spectator.next();
  w.send({ t: 'move', d: { u: 'e2e4' } });
  w.send({ t: 'resign' });
  for (const socket of [w, spectator]) {
    expect(await socket.next((f) => f.t === 'move')).toMatchObject({ v: 1 });
    expect(await socket.next((f) => f.t === 'end')).toEqual({
      t: 'end',
      v: 2,
      d: { winner: 'black', status: 'resign', clock: { white: expect.any(Number), black: expect.any(Number) } },
    });
  }
  expect(await getGame(stack, gameId)).toMatchObject({ status: 'resign', winner: 'black', v: 2 });
  expect((await call(stack, 'GET', `/api/game/${gameId}/pgn`)).text).toMatch(
    /\[Result "0-1"\][\s\S]*1\. e4 \{ \[%clk 0:05:00\] \} 0-1/,
  );
  [w, spectator].forEach((s) => s.close());
});

test('a relay subscribes to a game channel while it has sockets in the room, and only then', async () => {
  const redis = new Redis(stack.redisUrl);
  const subscribers = async (channel: string) =>
    Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
  const [white, black] = [await newUser(stack), await newUser(stack)];
  const gameId = await newGame(stack, white, black);
  const channel = `game:${gameId}`;
  expect(await subscribers(channel)).toBe(0);

  const sockets = [
    await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`),
    await connect(`${stack.relayUrls[0]}/watch/${gameId}`),
    await connect(`${stack.relayUrls[1]}/watch/${gameId}`),
  ];
  // One subscription per relay, however many sockets it holds.
  expect(await subscribers(channel)).toBe(2);

  sockets[0].close();
  await sockets[0].closed;
  sockets[2].close();
  await sockets[2].closed;
  // Relay 1 still has a socket there, relay 2 none: wait (bounded) for relay 2 to unsubscribe.
  for (let i = 0; i < 50 && (await subscribers(channel)) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await subscribers(channel)).toBe(1);
  sockets[1].close();
  await sockets[1].closed;
  for (let i = 0; i < 50 && (await subscribers(channel)) !== 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await subscribers(channel)).toBe(0);
  redis.disconnect();
});

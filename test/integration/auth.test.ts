import { call, getGame, newGame, newUser, type User } from '../support/api.js';
import { connect, UpgradeRefused, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { signToken, verifyToken } from '../../src/token.js';
import type { GameJson } from '../../protocol/game.js';

/**
 * Who may open which socket, and who may act in a game: tokens from the query or the cookie,
 * refused upgrades with their status, and refused moves that must leave no trace.
 */

let stack: Stack;
let white: User;
let black: User;
let stranger: User;
let gameId: string;

beforeAll(async () => {
  stack = await startStack({ relays: 2 });
  [white, black, stranger] = [
    await newUser(stack, 'white'),
    await newUser(stack, 'black'),
    await newUser(stack, 'stranger'),
  ];
  gameId = await newGame(stack, white, black);
});
afterAll(() => stack?.stop());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const OTHER_SECRET = 'another-secret-that-is-not-the-stack-one-0123';
const forged = (user: User) =>
  signToken(OTHER_SECRET, { userId: user.id, name: user.name, expiresAt: nowSeconds() + 3600 });
const expired = (user: User) =>
  signToken(stack.secret, { userId: user.id, name: user.name, expiresAt: nowSeconds() - 60 });

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

/** The status and JSON body of a refused upgrade; fails when the upgrade is accepted. */
async function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  let client: Client;
  try {
    client = await connect(url, headers);
  } catch (err) {
    if (!(err instanceof UpgradeRefused)) throw err;
    let body: unknown;
    try {
      body = JSON.parse(err.body);
    } catch {
      body = err.body;
    }
    return { status: err.status, body };
  }
  client.close();
  throw new Error(`${url} was accepted`);
}

type StateFrame = Frame & { t: 'state'; v: number; d: GameJson };
type MoveFrame = { t: 'move'; v: number; d: { ply: number; uci: string; san: string } };

/** What a refused action must not change: the game as GET /api/game/:id shows it, clocks aside (they run). */
const withoutClocks = ({ clocks, ...rest }: GameJson) => (void clocks, rest);

describe('WebSocket upgrade', () => {
  const relay = () => stack.relayUrls[0];

  test('the test tokens are what they claim to be (sanity check of the fixtures)', () => {
    expect(verifyToken(stack.secret, white.token)).toMatchObject({ ok: true });
    expect(verifyToken(stack.secret, forged(white))).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(stack.secret, expired(white))).toEqual({ ok: false, reason: 'expired' });
  });

  test('an anonymous session opens its own /user channel (its id keeps its capitals) and hears there', async () => {
    // An id with a capital letter (almost all have one), which a lower-casing relay would miss.
    let anon: User | undefined;
    while (!anon || !/[A-Z]/.test(anon.id)) {
      const session = await call(stack, 'POST', '/api/session', {});
      anon = { ...(session.json.user as { id: string; name: string }), token: session.json.token as string };
    }
    const socket = await connect(`${relay()}/user/${anon.id}?token=${anon.token}`);
    // The anonymous player challenges white, who declines: the anonymous player hears it on its channel.
    const clock = { limit: 60, increment: 0 };
    const created = await call(stack, 'POST', `/api/challenge/${white.id}`, { clock }, anon.token);
    expect(created.status).toBe(201);
    await call(stack, 'POST', `/api/challenge/${created.json.challenge.id}/decline`, {}, white.token);
    expect(await socket.next((f) => f.t === 'challengeDeclined')).toMatchObject({
      d: { id: created.json.challenge.id },
    });
    socket.close();
  });

  test('/play without a token is refused with 401', async () => {
    expect(await refusal(`${relay()}/play/${gameId}`)).toEqual({ status: 401, body: errorShape });
  });

  test('/play with a token signed with another secret is refused with 401', async () => {
    expect(await refusal(`${relay()}/play/${gameId}?token=${forged(white)}`)).toEqual({
      status: 401,
      body: errorShape,
    });
    expect(await refusal(`${relay()}/play/${gameId}`, { cookie: `session=${forged(white)}` })).toEqual({
      status: 401,
      body: errorShape,
    });
  });

  test('/play with an expired token is refused with 401', async () => {
    expect(await refusal(`${relay()}/play/${gameId}?token=${expired(white)}`)).toEqual({
      status: 401,
      body: errorShape,
    });
    expect(await refusal(`${relay()}/play/${gameId}`, { cookie: `session=${expired(white)}` })).toEqual({
      status: 401,
      body: errorShape,
    });
  });

  test('/play with a garbage token is refused with 401', async () => {
    expect((await refusal(`${relay()}/play/${gameId}?token=not-a-token`)).status).toBe(401);
  });

  test('/play with the valid token of someone who does not play the game is refused with 403', async () => {
    expect(await refusal(`${relay()}/play/${gameId}?token=${stranger.token}`)).toEqual({
      status: 403,
      body: errorShape,
    });
    expect(await refusal(`${relay()}/play/${gameId}`, { cookie: `session=${stranger.token}` })).toEqual({
      status: 403,
      body: errorShape,
    });
  });

  test('/play and /watch of an unknown game are refused with 404', async () => {
    expect(await refusal(`${relay()}/play/zzzzzzzz?token=${white.token}`)).toEqual({ status: 404, body: errorShape });
    expect(await refusal(`${relay()}/watch/zzzzzzzz`)).toEqual({ status: 404, body: errorShape });
  });

  test('an unknown path is refused with 404', async () => {
    expect(await refusal(`${relay()}/nope`)).toEqual({ status: 404, body: errorShape });
    expect(await refusal(`${relay()}/nope?token=${white.token}`)).toEqual({ status: 404, body: errorShape });
    expect(await refusal(`${relay()}/play/${gameId}/extra?token=${white.token}`)).toEqual({
      status: 404,
      body: errorShape,
    });
  });

  test("/user/<id> without a token is refused with 401, with another user's token with 403", async () => {
    expect(await refusal(`${relay()}/user/${white.id}`)).toEqual({ status: 401, body: errorShape });
    expect(await refusal(`${relay()}/user/${white.id}?token=${black.token}`)).toEqual({
      status: 403,
      body: errorShape,
    });
    expect(await refusal(`${relay()}/user/${white.id}`, { cookie: `session=${black.token}` })).toEqual({
      status: 403,
      body: errorShape,
    });
    expect(await refusal(`${relay()}/user/${white.id}?token=${expired(white)}`)).toEqual({
      status: 401,
      body: errorShape,
    });
  });

  test('/user/<id> with its own token is accepted, from the query or from the session cookie', async () => {
    const byQuery = await connect(`${relay()}/user/${white.id}?token=${white.token}`);
    const byCookie = await connect(`${relay()}/user/${white.id}`, {
      cookie: `theme=dark; session=${white.token}; lang=en`,
    });
    // Both are really in the user room: a challenge to white reaches both.
    const created = await call(
      stack,
      'POST',
      `/api/challenge/${white.id}`,
      { clock: { limit: 60, increment: 0 } },
      stranger.token,
    );
    expect(created.status).toBe(201);
    for (const socket of [byQuery, byCookie])
      expect(await socket.next((f) => f.t === 'challenge')).toMatchObject({
        t: 'challenge',
        d: { id: created.json.challenge.id },
      });
    await call(stack, 'POST', `/api/challenge/${created.json.challenge.id}/cancel`, {}, stranger.token);
    [byQuery, byCookie].forEach((s) => s.close());
  });

  test('/watch without a token is accepted and opens with the state frame', async () => {
    const spectator = await connect(`${relay()}/watch/${gameId}`);
    const first = await spectator.next<StateFrame>();
    expect(first).toMatchObject({
      t: 'state',
      v: expect.any(Number),
      d: { id: gameId, players: { white: { id: white.id }, black: { id: black.id } } },
    });
    expect(spectator.seen[0]).toBe(first);
    spectator.close();
  });

  test('/play with a valid token is accepted from the query and from the session cookie, and opens with the state frame', async () => {
    const byQuery = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
    const byCookie = await connect(`${stack.relayUrls[1]}/play/${gameId}`, { cookie: `session=${black.token}` });
    for (const socket of [byQuery, byCookie])
      expect(await socket.next()).toMatchObject({ t: 'state', d: { id: gameId } });
    [byQuery, byCookie].forEach((s) => s.close());
  });
});

describe('moving for the other side', () => {
  /** A fresh game with both players and a spectator connected, each past its state frame. */
  async function table() {
    const id = await newGame(stack, white, black);
    const w = await connect(`${stack.relayUrls[0]}/play/${id}?token=${white.token}`);
    const b = await connect(`${stack.relayUrls[1]}/play/${id}?token=${black.token}`);
    const spectator = await connect(`${stack.relayUrls[1]}/watch/${id}`);
    for (const socket of [w, b, spectator]) expect(await socket.next()).toMatchObject({ t: 'state', v: 0, d: { id } });
    return { id, w, b, spectator, sockets: [w, b, spectator] };
  }

  const versionsSeen = (socket: Client) =>
    socket.seen.filter((f): f is Frame => typeof f === 'object' && f !== null && 'v' in f).map((f) => f.v);

  test("white playing a black move on white's turn is refused with illegal_move, and nothing is broadcast", async () => {
    const { id, w, b, spectator, sockets } = await table();
    const before = await getGame(stack, id);

    w.send({ t: 'move', d: { u: 'e7e5' } });
    // The refusal is the very next frame white receives.
    expect(await w.next()).toEqual({ t: 'error', d: { code: 'illegal_move', message: expect.any(String) } });
    const after = await getGame(stack, id);
    expect(withoutClocks(after)).toEqual(withoutClocks(before));
    expect(after).toMatchObject({ moves: [], v: 0 });

    w.send({ t: 'move', d: { u: 'e2e4' } });
    // Black's very next frame is this move, numbered right after the state it opened with.
    expect(await b.next()).toMatchObject({ t: 'move', v: before.v + 1, d: { ply: 1, uci: 'e2e4', san: 'e4' } });
    expect(await spectator.next()).toMatchObject({ t: 'move', v: before.v + 1 });
    expect(await w.next()).toMatchObject({ t: 'move', v: before.v + 1 });
    for (const socket of sockets) expect(versionsSeen(socket)).toEqual([0, 1]);
    expect(b.seen.some((f) => (f as Frame).t === 'error')).toBe(false);
    expect(await getGame(stack, id)).toMatchObject({ moves: ['e2e4'], v: 1 });
    sockets.forEach((s) => s.close());
  });

  test('white moving again after its own move is refused with not_your_turn, and nothing is broadcast', async () => {
    const { id, w, b, spectator, sockets } = await table();
    w.send({ t: 'move', d: { u: 'e2e4' } });
    for (const socket of sockets) expect(await socket.next()).toMatchObject({ t: 'move', v: 1, d: { uci: 'e2e4' } });
    const before = await getGame(stack, id);
    expect(before).toMatchObject({ moves: ['e2e4'], v: 1 });

    w.send({ t: 'move', d: { u: 'd2d4' } });
    expect(await w.next()).toEqual({ t: 'error', d: { code: 'not_your_turn', message: expect.any(String) } });
    // Even a move that would be legal for black, sent by white, is not white's to make.
    w.send({ t: 'move', d: { u: 'e7e5' } });
    expect(await w.next()).toEqual({ t: 'error', d: { code: 'not_your_turn', message: expect.any(String) } });
    const after = await getGame(stack, id);
    expect(withoutClocks(after)).toEqual(withoutClocks(before));

    b.send({ t: 'move', d: { u: 'e7e5' } });
    // White's very next frame is black's move, with the next version.
    expect(await w.next<MoveFrame>()).toMatchObject({
      t: 'move',
      v: before.v + 1,
      d: { ply: 2, uci: 'e7e5', san: 'e5' },
    });
    expect(await b.next()).toMatchObject({ t: 'move', v: before.v + 1 });
    expect(await spectator.next()).toMatchObject({ t: 'move', v: before.v + 1 });
    for (const socket of sockets) expect(versionsSeen(socket)).toEqual([0, 1, 2]);
    expect(spectator.seen.some((f) => (f as Frame).t === 'error')).toBe(false);
    expect(await getGame(stack, id)).toMatchObject({ moves: ['e2e4', 'e7e5'], v: 2 });
    sockets.forEach((s) => s.close());
  });

  test('a spectator cannot move at all', async () => {
    const { id, w, spectator, sockets } = await table();
    spectator.send({ t: 'move', d: { u: 'e2e4' } });
    expect(await spectator.next()).toEqual({
      t: 'error',
      d: { code: 'not_allowed_here', message: expect.any(String) },
    });
    expect(await getGame(stack, id)).toMatchObject({ moves: [], v: 0 });
    w.send({ t: 'move', d: { u: 'e2e4' } });
    expect(await spectator.next()).toMatchObject({ t: 'move', v: 1 });
    sockets.forEach((s) => s.close());
  });
});

describe('HTTP authentication', () => {
  const clock = { limit: 60, increment: 0 };

  test('POST /api/challenge/:userId without Authorization is refused with 401', async () => {
    const res = await call(stack, 'POST', `/api/challenge/${black.id}`, { clock });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(errorShape);
  });

  test('POST /api/challenge/:userId with an expired or forged token is refused with 401', async () => {
    for (const token of [expired(white), forged(white), 'garbage']) {
      const res = await call(stack, 'POST', `/api/challenge/${black.id}`, { clock }, token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual(errorShape);
    }
  });

  test('a challenge can be accepted only by the challenged user: anyone else gets 403', async () => {
    const created = await call(stack, 'POST', `/api/challenge/${black.id}`, { clock, color: 'white' }, white.token);
    expect(created.status).toBe(201);
    const id = created.json.challenge.id as string;

    for (const by of [stranger, white]) {
      const res = await call(stack, 'POST', `/api/challenge/${id}/accept`, {}, by.token);
      expect(res.status).toBe(403);
      expect(res.json).toEqual(errorShape);
    }
    const noToken = await call(stack, 'POST', `/api/challenge/${id}/accept`, {});
    expect(noToken.status).toBe(401);
    const expiredBlack = await call(stack, 'POST', `/api/challenge/${id}/accept`, {}, expired(black));
    expect(expiredBlack.status).toBe(401);

    // The refusals left the challenge open: the challenged user can still accept it.
    const accepted = await call(stack, 'POST', `/api/challenge/${id}/accept`, {}, black.token);
    expect(accepted.status).toBe(201);
    expect(accepted.json.game.players).toMatchObject({ white: { id: white.id }, black: { id: black.id } });
  });
});

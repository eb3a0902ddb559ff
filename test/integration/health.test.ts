import { getGame, newGame, newUser, type User } from '../support/api.js';
import { connect, type Client } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * GET /health on lila-core and on a relay, and what it says while Redis is down and once it is back;
 * then the relay must work again end to end.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
});
afterAll(() => stack?.stop());

type Health = { status: number; body: Record<string, unknown> };

const coreHealthUrl = () => `${stack.httpUrl}/health`;
const relayHealthUrl = (i = 0) => `${stack.relayUrls[i].replace(/^ws:\/\//, 'http://')}/health`;

async function health(url: string): Promise<Health> {
  const res = await fetch(url);
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsable: text };
  }
  return { status: res.status, body };
}

/**
 * Polls `url` a few times a second until `done` holds, for at most `timeoutMs`; resolves to the
 * last answer either way, for the caller to assert on (so a timeout fails with what was seen).
 */
async function pollHealth(url: string, done: (h: Health) => boolean, timeoutMs = 5000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: Health;
    try {
      last = await health(url);
    } catch (err) {
      last = { status: 0, body: { fetchError: (err as Error).message } };
    }
    if (done(last) || Date.now() >= deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('lila-core: 200 with redis and mongo connected, and its uptime', async () => {
  const h = await health(coreHealthUrl());
  expect(h).toEqual({ status: 200, body: { redis: 'connected', mongo: 'connected', uptime: expect.any(Number) } });
  expect(h.body.uptime as number).toBeGreaterThanOrEqual(0);
});

test('relay: 200 with redis connected, its uptime, and the number of open sockets', async () => {
  const before = await health(relayHealthUrl(0));
  expect(before).toEqual({
    status: 200,
    body: { redis: 'connected', uptime: expect.any(Number), connections: expect.any(Number) },
  });
  const count = before.body.connections as number;

  const sockets: Client[] = [await connect(`${stack.relayUrls[0]}/site`), await connect(`${stack.relayUrls[0]}/lobby`)];
  expect((await health(relayHealthUrl(0))).body.connections).toBe(count + 2);
  // Sockets on the other relay are not counted here.
  const other = await connect(`${stack.relayUrls[1]}/site`);
  expect((await health(relayHealthUrl(0))).body.connections).toBe(count + 2);
  expect((await health(relayHealthUrl(1))).body.connections).toBeGreaterThanOrEqual(1);

  sockets[0].close();
  await sockets[0].closed;
  const afterOneClosed = await pollHealth(relayHealthUrl(0), (h) => h.body.connections === count + 1);
  expect(afterOneClosed.body.connections).toBe(count + 1);
  [sockets[1], other].forEach((s) => s.close());
});

describe('while Redis is down, and after it is back', () => {
  let white: User;
  let black: User;
  let gameId: string;
  let earlySpectator: Client;

  beforeAll(async () => {
    [white, black] = [await newUser(stack, 'white'), await newUser(stack, 'black')];
    gameId = await newGame(stack, white, black);
    // A spectator that stays connected through the outage.
    earlySpectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}`);
    expect(await earlySpectator.next()).toMatchObject({ t: 'state', v: 0 });
  });
  afterAll(() => earlySpectator?.close());

  test('both answer 503 with redis disconnected once Redis stops', async () => {
    await stack.redis.stop();
    const core = await pollHealth(coreHealthUrl(), (h) => h.status !== 200);
    const relay = await pollHealth(relayHealthUrl(0), (h) => h.status !== 200);
    expect(core).toEqual({
      status: 503,
      body: { redis: 'disconnected', mongo: 'connected', uptime: expect.any(Number) },
    });
    expect(relay).toEqual({
      status: 503,
      body: { redis: 'disconnected', uptime: expect.any(Number), connections: expect.any(Number) },
    });
    // Live, though not ready: nothing to restart. /health/ready says what /health says.
    for (const url of [coreHealthUrl(), relayHealthUrl(0)]) {
      expect(await health(`${url}/live`)).toEqual({ status: 200, body: { live: true } });
      expect((await health(`${url}/ready`)).status).toBe(503);
    }
    // The HTTP API that needs only MongoDB keeps answering.
    expect((await getGame(stack, gameId)).id).toBe(gameId);
  });

  test('both answer 200 again once Redis is back', async () => {
    await stack.startRedis();
    const core = await pollHealth(coreHealthUrl(), (h) => h.status === 200);
    const relays = [
      await pollHealth(relayHealthUrl(0), (h) => h.status === 200),
      await pollHealth(relayHealthUrl(1), (h) => h.status === 200),
    ];
    expect(core).toEqual({ status: 200, body: { redis: 'connected', mongo: 'connected', uptime: expect.any(Number) } });
    expect((await health(`${coreHealthUrl()}/ready`)).status).toBe(200);
    for (const relay of relays)
      expect(relay).toEqual({
        status: 200,
        body: { redis: 'connected', uptime: expect.any(Number), connections: expect.any(Number) },
      });
  });

  test('after the outage, new sockets open and a move reaches players and spectators on both relays', async () => {
    const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
    const b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`);
    const spectator = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
    for (const socket of [w, b, spectator])
      expect(await socket.next()).toMatchObject({ t: 'state', v: 0, d: { id: gameId, moves: [] } });

    w.send({ t: 'move', d: { u: 'e2e4', a: 1 } });
    expect(await w.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: 1 });
    for (const socket of [w, b, spectator])
      expect(await socket.next((f) => f.t === 'move')).toMatchObject({ t: 'move', v: 1, d: { uci: 'e2e4' } });
    expect(await getGame(stack, gameId)).toMatchObject({ moves: ['e2e4'], v: 1 });

    b.send({ t: 'move', d: { u: 'e7e5' } });
    for (const socket of [w, b, spectator])
      expect(await socket.next((f) => f.t === 'move')).toMatchObject({ t: 'move', v: 2, d: { uci: 'e7e5' } });
    [w, b, spectator].forEach((s) => s.close());
  });

  test('a spectator connected through the outage still receives the moves played after it', async () => {
    expect(await earlySpectator.next((f) => f.t === 'move')).toMatchObject({ t: 'move', v: 1, d: { uci: 'e2e4' } });
    expect(await earlySpectator.next((f) => f.t === 'move')).toMatchObject({ t: 'move', v: 2, d: { uci: 'e7e5' } });
  });
});

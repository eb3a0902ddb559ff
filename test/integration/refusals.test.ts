import { Redis } from 'ioredis';
import { SITE_IN, relayChannel } from '../../protocol/channels.js';
import { CloseCode, MAX_FRAME_BYTES } from '../../protocol/client-in.js';
import { getGame, newGame, newUser, type User } from '../support/api.js';
import { connect, type Client } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

let stack: Stack;
let white: User, black: User;
let gameId: string;
let w: Client, b: Client, spectator: Client;
let version = 0;

beforeAll(async () => {
  stack = await startStack({ relays: 2 });
  [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  gameId = await newGame(stack, white, black);
  w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  b = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${black.token}`);
  spectator = await connect(`${stack.relayUrls[1]}/watch/${gameId}`);
  for (const s of [w, b, spectator]) await s.next((f) => f.t === 'state');
});
afterAll(async () => {
  [w, b, spectator].forEach((s) => s?.close());
  await stack?.stop();
});

/**
 * Sends a refused frame from `from`, checks the error it gets back, and proves that nothing was
 * broadcast and nothing changed: the game is as before, and the next legal move reaches every
 * socket as the very next versioned frame.
 */
async function expectRefused(from: Client, frame: unknown, code: string, nextMove: { by: Client; uci: string }) {
  const before = await getGame(stack, gameId);
  from.send(frame);
  expect(await from.next((f) => f.t === 'error')).toMatchObject({
    t: 'error',
    d: { code, message: expect.any(String) },
  });
  expect(await getGame(stack, gameId)).toEqual({ ...before, clocks: expect.any(Object) });

  nextMove.by.send({ t: 'move', d: { u: nextMove.uci } });
  version++;
  for (const socket of [w, b, spectator]) {
    const next = await socket.next((f) => f.v !== undefined);
    expect(next).toMatchObject({ t: 'move', v: version, d: { uci: nextMove.uci } });
  }
}

test('an illegal move is refused', async () => {
  await expectRefused(w, { t: 'move', d: { u: 'e2e5' } }, 'illegal_move', { by: w, uci: 'e2e4' });
});

test('a move out of turn is refused', async () => {
  await expectRefused(w, { t: 'move', d: { u: 'd2d4' } }, 'not_your_turn', { by: b, uci: 'e7e5' });
});

test('frames that are not JSON, fail their schema, or have an unknown type are refused at the relay', async () => {
  await expectRefused(w, 'this is not json', 'bad_json', { by: w, uci: 'g1f3' });
  await expectRefused(b, { t: 'move', d: { u: 'e7e9' } }, 'bad_message', { by: b, uci: 'b8c6' });
  await expectRefused(w, { t: 'move' }, 'bad_message', { by: w, uci: 'f1b5' });
  await expectRefused(b, { t: 'teleport', d: {} }, 'unknown_type', { by: b, uci: 'a7a6' });
  await expectRefused(w, [1, 2, 3], 'bad_message', { by: w, uci: 'b5a4' });
});

test('a spectator cannot act on the game', async () => {
  await expectRefused(spectator, { t: 'resign' }, 'not_allowed_here', { by: b, uci: 'g8f6' });
  await expectRefused(spectator, { t: 'move', d: { u: 'e1g1' } }, 'not_allowed_here', { by: w, uci: 'e1g1' });
});

test('a ping is answered with 0, to that socket only', async () => {
  w.send(null);
  expect(await w.next()).toBe(0);
  w.send({ t: 'p', l: 42 });
  expect(await w.next()).toBe(0);
});

test('lila-core refuses an action from someone who does not play the game', async () => {
  // Relays only forward /play actions of players; a forged envelope shows lila-core checks again.
  const bus = new Redis(stack.redisUrl);
  const listener = new Redis(stack.redisUrl);
  const answers: string[] = [];
  await listener.subscribe(relayChannel('test-relay'));
  listener.on('message', (_channel, message: string) => answers.push(message));
  const before = await getGame(stack, gameId);
  const envelope = {
    relay: 'test-relay',
    boot: 'b1',
    seq: 1,
    sid: 'sock1',
    user: 'mallory',
    room: `game:${gameId}`,
    t: 'move',
    d: { u: 'b7b5' },
  };
  await bus.publish(SITE_IN, JSON.stringify(envelope));
  // The refusal first; then a join from the same fake relay shows the game as it was. (lila-core
  // takes a relay's messages side by side, so the join is sent only once the refusal is here.)
  while (answers.length < 1) await new Promise((r) => listener.once('message', r));
  await bus.publish(SITE_IN, JSON.stringify({ ...envelope, seq: 2, t: 'join', d: { role: 'watch' } }));
  while (answers.length < 2) await new Promise((r) => listener.once('message', r));
  expect(answers[0]).toBe(
    '{"t":"sid","sid":"sock1"}\n{"t":"error","d":{"code":"not_your_game","message":"you do not play this game"}}',
  );
  expect(answers[1]).toMatch(/^\{"t":"join","sid":"sock1","status":200,"v":9\}\n\{"t":"state"/);
  expect(await getGame(stack, gameId)).toEqual({ ...before, clocks: expect.any(Object) });
  bus.disconnect();
  listener.disconnect();
});

test('after the game ends, moves are refused with game_over', async () => {
  b.send({ t: 'resign' });
  version++;
  for (const socket of [w, b, spectator])
    expect(await socket.next((f) => f.t === 'end')).toMatchObject({
      v: version,
      d: { status: 'resign', winner: 'white' },
    });
  const before = await getGame(stack, gameId);
  w.send({ t: 'move', d: { u: 'd2d4' } });
  expect(await w.next((f) => f.t === 'error')).toMatchObject({ d: { code: 'game_over' } });
  expect(await getGame(stack, gameId)).toEqual(before);
});

test('a binary frame closes the socket with 1003', async () => {
  const s = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
  await s.next();
  s.ws.send(Buffer.from([1, 2, 3]));
  expect((await s.closed).code).toBe(CloseCode.binary);
});

test(`a frame over ${MAX_FRAME_BYTES} bytes closes the socket with ${CloseCode.tooBig}`, async () => {
  const s = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
  await s.next();
  s.send({ t: 'p', pad: 'x'.repeat(MAX_FRAME_BYTES) });
  expect((await s.closed).code).toBe(CloseCode.tooBig);
});

/** A `p` frame of exactly `bytes` bytes in UTF-8, padded with two-byte characters. */
const twoByteFrame = (bytes: number): string => {
  const [head, tail] = ['{"t":"p","pad":"', '"}'];
  const room = bytes - head.length - tail.length;
  const text = head + 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2) + tail;
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
};

test('the frame limit counts bytes, not characters: two-byte text over it in bytes closes the socket', async () => {
  const s = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
  await s.next();
  const frame = twoByteFrame(MAX_FRAME_BYTES + 2);
  expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
  s.ws.send(frame);
  expect((await s.closed).code).toBe(CloseCode.tooBig);
});

test('a frame of exactly the limit in bytes is taken', async () => {
  const s = await connect(`${stack.relayUrls[0]}/watch/${gameId}`);
  await s.next();
  s.ws.send(twoByteFrame(MAX_FRAME_BYTES));
  // The socket still answers: a ping sent after the frame gets its pong.
  s.send(null);
  expect(await s.next((f) => (f as unknown) === 0)).toBe(0);
  s.close();
});

import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { SITE_IN, relayChannel } from '../../protocol/channels.js';
import { CHAT_BURST, CHAT_REFILL_MS, TELL_EVERY_MS } from '../../lila-core/chat/flood.js';
import { getGame, newGame, newUser, type User } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Chat against hostile clients (issue #13): a flood straight onto `site-in` (past any relay's
 * limits) neither slows the players nor costs them clock time; chat is limited per user; lines
 * cost no write of the game; and text is cleaned of control and bidirectional characters.
 */
let stack: Stack;
let redis: Redis;
let listener: Redis;
let mongo: MongoClient;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
  redis = new Redis(stack.redisUrl);
  listener = new Redis(stack.redisUrl);
  mongo = await new MongoClient(stack.mongoUrl).connect();
});
afterAll(async () => {
  redis?.disconnect();
  listener?.disconnect();
  await mongo?.close();
  await stack?.stop();
});

const journalled = (gameId: string) => mongo.db().collection('game_journal').countDocuments({ g: gameId });

type MoveFrame = { t: 'move'; v: number; d: { ply: number; clock: { white: number; black: number } } };

/** A relay of the test's own on `site-in`: envelopes numbered in order, answers on its channel. */
function fakeRelay(id: string) {
  let seq = 0;
  const answers: Frame[] = [];
  const onMessage = (channel: string, message: string) => {
    if (channel === relayChannel(id)) answers.push(JSON.parse(message.slice(message.indexOf('\n') + 1)) as Frame);
  };
  listener.on('message', onMessage);
  return {
    answers,
    listen: () => listener.subscribe(relayChannel(id)),
    envelope: (sid: string, user: string, room: string, t: string, d?: unknown) =>
      JSON.stringify({
        relay: id,
        boot: `${id}-boot`,
        seq: ++seq,
        sid,
        user,
        room,
        t,
        ...(d === undefined ? {} : { d }),
      }),
    /** Publishes these envelopes at once, in order, without waiting for any answer. */
    burst: (envelopes: string[]) => {
      const pipeline = redis.pipeline();
      for (const e of envelopes) pipeline.publish(SITE_IN, e);
      return pipeline.exec();
    },
    stop: () => listener.off('message', onMessage),
  };
}

async function players(): Promise<{ white: User; black: User; gameId: string; w: Client; b: Client }> {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black, { limit: 600, increment: 0 });
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${black.token}`);
  for (const s of [w, b]) await s.next((f) => f.t === 'state');
  return { white, black, gameId, w, b };
}

test('a signed-in spectator floods talk straight onto site-in while the players play: acks stay prompt, and white is never charged for the flood queued ahead of its moves', async () => {
  const { gameId, w, b } = await players();
  const carol = await newUser(stack, 'c');
  const flooder = fakeRelay('flooder');
  await flooder.listen();
  const { ucis } = sanLine(OPERA_GAME.slice(0, 20));
  const PER_MOVE = 300;

  const acks: number[] = [];
  const sentAt: number[] = [];
  const clocks: MoveFrame['d']['clock'][] = [];
  const floods: Promise<unknown>[] = [];
  for (const [ply, u] of ucis.entries()) {
    const mover = ply % 2 === 0 ? w : b;
    // Before each of white's moves, hundreds of lines land on lila-core first.
    if (ply % 2 === 0)
      floods.push(
        flooder.burst(
          [...Array(PER_MOVE).keys()].map((i) =>
            flooder.envelope('c1', carol.id, `game:${gameId}`, 'talk', `spam ${ply} ${i}`),
          ),
        ),
      );
    sentAt[ply] = Date.now();
    mover.send({ t: 'move', d: { u, a: ply + 1 } });
    await mover.next((f) => f.t === 'ack' && f.d === ply + 1, 20_000);
    acks.push(Date.now() - sentAt[ply]);
    clocks[ply] = (
      await w.next<MoveFrame>((f) => f.t === 'move' && (f as MoveFrame).d.ply === ply + 1, 20_000)
    ).d.clock;
  }
  await Promise.all(floods);
  console.log(`chat flood: ${ucis.length} moves, acks max ${Math.max(...acks)} ms (${acks.join(' ')})`);

  // White's think time runs from lila-core taking black's move (not before black sent it) to the
  // relay receiving white's (not after white sent it): the flood queued in between is not white's.
  // Clocks are in centiseconds; 50 ms allows for them and for the relay's own handling.
  const overcharged = [];
  for (let ply = 2; ply < ucis.length; ply += 2) {
    const charged = clocks[ply - 2].white - clocks[ply].white;
    const sinceBlackSent = (sentAt[ply] - sentAt[ply - 1]) / 1000;
    if (charged > sinceBlackSent + 0.05) overcharged.push({ ply, charged, sinceBlackSent });
  }
  expect(overcharged).toEqual([]);
  expect(Math.max(...acks)).toBeLessThanOrEqual(1_000);
  // The flood was cut per user: a handful of lines got through (the burst, and what refilled
  // meanwhile); the flooder was told why, once a second at most, not once per line.
  const elapsed = Date.now() - sentAt[0];
  const game = await getGame(stack, gameId);
  expect(game.moves).toEqual(ucis);
  expect(game.v - ucis.length).toBeGreaterThanOrEqual(CHAT_BURST);
  expect(game.v - ucis.length).toBeLessThanOrEqual(CHAT_BURST + Math.ceil(elapsed / CHAT_REFILL_MS));
  await settledRelay(flooder, 1);
  const limited = flooder.answers.filter((f) => (f.d as { code?: string }).code === 'rate_limited');
  expect(limited.length).toBeGreaterThanOrEqual(1);
  expect(limited.length).toBeLessThanOrEqual(Math.ceil(elapsed / TELL_EVERY_MS) + 1);
  flooder.stop();
  w.close();
  b.close();
});

/** Waits until the fake relay has had at least `count` answers. */
async function settledRelay(relay: ReturnType<typeof fakeRelay>, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (relay.answers.length < count && Date.now() < deadline)
    await new Promise((resolve) => listener.once('message', resolve));
}

test('chat lines cost no write of the game: the journal grows by moves, and one reservation', async () => {
  const { gameId, w, b } = await players();
  const spectators = [await newUser(stack, 's'), await newUser(stack, 't')];
  const watchers = await Promise.all(
    spectators.map((s) => connect(`${stack.relayUrls[1]}/watch/${gameId}?token=${s.token}`)),
  );
  for (const s of watchers) await s.next((f) => f.t === 'state');

  w.send({ t: 'move', d: { u: 'e2e4', a: 1 } });
  await w.next((f) => f.t === 'ack');
  expect(await journalled(gameId)).toBe(1);

  // Fifteen lines from four people (within each one's limit), then a move, then five more lines.
  let v = 1;
  const say = async (socket: Client, text: string) => {
    socket.send({ t: 'talk', d: text });
    v++;
    await socket.next((f) => f.v === v);
  };
  for (let i = 0; i < 4; i++) for (const [k, s] of [w, b, ...watchers].entries()) await say(s, `line ${k}.${i}`);
  b.send({ t: 'move', d: { u: 'e7e5', a: 1 } });
  await b.next((f) => f.t === 'ack');
  v++;
  for (const [k, s] of [w, b, ...watchers].entries()) await say(s, `after ${k}`);
  // Two moves, and the one write that reserved versions for the chat.
  expect(await journalled(gameId)).toBe(3);
  expect(await getGame(stack, gameId)).toMatchObject({ moves: ['e2e4', 'e7e5'], v });
  for (const s of [w, b, ...watchers]) s.close();
});

test('chat is cleaned of control and bidirectional characters; a line with nothing else is refused', async () => {
  const { gameId, w, b } = await players();
  w.send({ t: 'talk', d: 'gg \u202Eexe.live\u202C\u0007 see\nyou' });
  for (const s of [w, b])
    expect(await s.next((f) => f.t === 'message')).toMatchObject({ d: { text: 'gg exe.live see you' } });
  w.send({ t: 'talk', d: '\u202E\u2066\u0000' });
  expect(await w.next((f) => f.t === 'error' || f.t === 'message')).toMatchObject({
    t: 'error',
    d: { code: 'bad_message' },
  });
  expect((await getGame(stack, gameId)).v).toBe(1);
  w.close();
  b.close();
});

test('chat is limited per user across all their sockets, and a repeated line is cut', async () => {
  const { white, gameId, w, b } = await players();
  // A second tab of white's, on the other relay: each relay sees only its own socket.
  const w2 = await connect(`${stack.relayUrls[1]}/play/${gameId}?token=${white.token}`);
  await w2.next((f) => f.t === 'state');
  for (let i = 0; i < CHAT_BURST; i++) {
    const tab = i % 2 === 0 ? w : w2;
    tab.send({ t: 'talk', d: `hello ${i}` });
    await tab.next((f) => f.t === 'message' && (f.d as { text: string }).text === `hello ${i}`);
  }
  w2.send({ t: 'talk', d: 'one too many' });
  expect(await w2.next((f) => f.t === 'error' || (f.t === 'message' && f.v! > CHAT_BURST))).toMatchObject({
    t: 'error',
    d: { code: 'rate_limited' },
  });
  const said = (text: string) => (f: Frame) => f.t === 'message' && (f.d as { text: string }).text === text;
  b.send({ t: 'talk', d: 'gg' });
  await b.next(said('gg'));
  b.send({ t: 'talk', d: 'GG' });
  expect(await b.next((f) => f.t === 'error' || said('GG')(f))).toMatchObject({
    t: 'error',
    d: { code: 'rate_limited' },
  });
  expect((await getGame(stack, gameId)).v).toBe(CHAT_BURST + 1);
  for (const s of [w, w2, b]) s.close();
});

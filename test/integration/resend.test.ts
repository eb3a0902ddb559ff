import { Redis } from 'ioredis';
import { SITE_IN, relayChannel } from '../../protocol/channels.js';
import { getGame, newGame, newUser } from '../support/api.js';
import { connect } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Redis silently drops a subscriber that falls behind, and the messages in between with it.
 * Relays number their messages so that lila-core sees the gap and asks for them again.
 */
let stack: Stack;
let redis: Redis;
let listener: Redis;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
  redis = new Redis(stack.redisUrl);
  listener = new Redis(stack.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  listener?.disconnect();
  await stack?.stop();
});

/** Collects messages on `channel` (heartbeats aside, and those `keep` refuses) until `count` have arrived. */
async function collect(
  channel: string,
  count: number,
  act: () => Promise<unknown>,
  keep: (message: string) => boolean = () => true,
): Promise<string[]> {
  const got: string[] = [];
  // lila-core also asks relays it does not know yet who is online there (`sync`): not the subject here.
  const onMessage = (ch: string, message: string) =>
    ch === channel &&
    !message.includes('"t":"tick"') &&
    !message.startsWith('{"t":"sync"}') &&
    keep(message) &&
    got.push(message);
  listener.on('message', onMessage);
  await listener.subscribe(channel);
  await act();
  while (got.length < count) await new Promise((r) => listener.once('message', r));
  listener.off('message', onMessage);
  await listener.unsubscribe(channel);
  return got;
}

test('lila-core asks a relay to resend from the first missing number, and handles the messages in order', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const envelope = (seq: number, user: string, u: string) =>
    JSON.stringify({ relay: 'gappy', boot: 'boot1', seq, sid: 's', user, room: `game:${gameId}`, t: 'move', d: { u } });

  // Every move event of the game, from before the first move: an event may reach Redis after the
  // game's state answers over HTTP (lila-core writes what one turn publishes together).
  const moves: string[] = [];
  const recorder = new Redis(stack.redisUrl);
  recorder.on('message', (_ch: string, message: string) => {
    const frame = JSON.parse(message.split('\n')[1] ?? '{}') as { t?: string; d?: { uci?: string } };
    if (frame.t === 'move' && frame.d?.uci) moves.push(frame.d.uci);
  });
  await recorder.subscribe(`game:${gameId}`);
  const movesReach = async (n: number) => {
    while (moves.length < n) await new Promise((r) => recorder.once('message', r));
  };

  // 1 arrives, 2 is "lost", 3 arrives: 3 must wait, and lila-core asks for 2 onwards.
  const asked = await collect(relayChannel('gappy'), 1, async () => {
    await redis.publish(SITE_IN, envelope(1, white.id, 'e2e4'));
    await redis.publish(SITE_IN, envelope(3, white.id, 'g1f3'));
  });
  expect(asked).toEqual(['{"t":"resend","boot":"boot1","from":2}\n']);
  expect((await getGame(stack, gameId)).moves).toEqual(['e2e4']);

  // The relay resends 2 and 3: both are played, in order.
  await movesReach(1);
  await redis.publish(SITE_IN, envelope(2, black.id, 'e7e5'));
  await redis.publish(SITE_IN, envelope(3, white.id, 'g1f3'));
  await movesReach(3);
  expect(moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
  // A duplicate is ignored.
  await redis.publish(SITE_IN, envelope(3, white.id, 'g1f3'));
  expect((await getGame(stack, gameId)).moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
  expect(moves).toEqual(['e2e4', 'e7e5', 'g1f3']);
  recorder.disconnect();
});

test('a heartbeat reveals a loss at the tail', async () => {
  await redis.publish(SITE_IN, JSON.stringify({ relay: 'quiet', boot: 'b', t: 'tick', d: { last: 4 } }));
  const asked = await collect(relayChannel('quiet'), 1, () =>
    redis.publish(SITE_IN, JSON.stringify({ relay: 'quiet', boot: 'b', t: 'tick', d: { last: 6 } })),
  );
  expect(asked).toEqual(['{"t":"resend","boot":"b","from":5}\n']);
});

test('a relay publishes again what lila-core asks for, from its kept messages', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  await w.next((f) => f.t === 'state');

  // Moves only: the relay also tells lila-core, debounced, who came online (`online`), at any moment.
  const aMove = (message: string) => message.includes('"t":"move"');
  const sent = await collect(
    SITE_IN,
    1,
    async () => {
      w.send({ t: 'move', d: { u: 'd2d4', a: 1 } });
      await w.next((f) => f.t === 'ack');
    },
    aMove,
  );
  const original = JSON.parse(sent[0]) as { relay: string; boot: string; seq: number };
  expect(original).toMatchObject({ relay: 'relay-1', t: 'move', d: { u: 'd2d4', a: 1 }, user: white.id });

  const resent = await collect(
    SITE_IN,
    1,
    () =>
      redis.publish(
        relayChannel('relay-1'),
        `${JSON.stringify({ t: 'resend', boot: original.boot, from: original.seq })}\n`,
      ),
    aMove,
  );
  expect(resent[0]).toBe(sent[0]);
  // lila-core already had it: the duplicate changes nothing.
  expect((await getGame(stack, gameId)).moves).toEqual(['d2d4']);
  w.close();
});

test('a move sent twice with the same ack id is played once, and acked each time', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  await w.next((f) => f.t === 'state');
  w.send({ t: 'move', d: { u: 'c2c4', a: 7 } });
  expect(await w.next((f) => f.t === 'move')).toMatchObject({ v: 1, d: { uci: 'c2c4' } });
  expect(await w.next()).toEqual({ t: 'ack', d: 7 });
  // As a browser does when an ack is slow: the very same frame again.
  w.send({ t: 'move', d: { u: 'c2c4', a: 7 } });
  expect(await w.next()).toEqual({ t: 'ack', d: 7 });
  expect(await getGame(stack, gameId)).toMatchObject({ moves: ['c2c4'], v: 1 });
  // The next ack id is a new move, and refused as such (black is to move).
  w.send({ t: 'move', d: { u: 'd2d4', a: 8 } });
  expect(await w.next()).toMatchObject({ t: 'error', d: { code: 'not_your_turn' } });
  w.close();
});

test('a lower ack id from the same socket is a new move: played and acked, never acked and dropped (900, then 104)', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const w = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${stack.relayUrls[0]}/play/${gameId}?token=${black.token}`);
  for (const s of [w, b]) await s.next((f) => f.t === 'state');
  w.send({ t: 'move', d: { u: 'e2e4', a: 900 } });
  expect(await w.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: 900 });
  b.send({ t: 'move', d: { u: 'e7e5', a: 1 } });
  expect(await b.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: 1 });
  // A lower ack id than the last (a client that numbers its moves afresh) is a new move: played.
  w.send({ t: 'move', d: { u: 'g1f3', a: 104 } });
  expect(await w.next((f) => f.t === 'move' && f.v === 3)).toMatchObject({ d: { uci: 'g1f3' } });
  expect(await w.next((f) => f.t === 'ack' || f.t === 'error')).toEqual({ t: 'ack', d: 104 });
  // Out of turn, a lower ack id is refused with an error, not acked.
  w.send({ t: 'move', d: { u: 'd2d4', a: 50 } });
  expect(await w.next((f) => f.t === 'ack' || f.t === 'error')).toMatchObject({
    t: 'error',
    d: { code: 'not_your_turn' },
  });
  expect(await getGame(stack, gameId)).toMatchObject({ moves: ['e2e4', 'e7e5', 'g1f3'], v: 3 });
  w.close();
  b.close();
});

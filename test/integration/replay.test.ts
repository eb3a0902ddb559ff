import { Redis } from 'ioredis';
import { newGame, newUser } from '../support/api.js';
import { openBrowser } from '../support/browser.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Redis drops a relay's subscription (it does so to a slow subscriber) and the room events
 * published meanwhile are lost to that relay. The relay asks lila-core for what it missed once it
 * is back, and its sockets get the events, in order, without a reconnect.
 */
let stack: Stack;
let admin: Redis;
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
  admin = new Redis(stack.redisUrl);
});
afterAll(async () => {
  await admin?.config('SET', 'maxclients', '10000').catch(() => undefined);
  admin?.disconnect();
  await stack?.stop();
});

const subscriberOf = async (relay: string): Promise<string> => {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=relay-sub:${relay} `));
  if (!line) throw new Error(`no subscriber of ${relay} in:\n${list}`);
  return /\bid=(\d+)/.exec(line)![1];
};

test('a relay whose subscription was cut gets the missed events replayed, and no socket closes', async () => {
  const [w, b] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, w, b);
  const [one, two] = stack.relayUrls as [string, string];
  const white = await openBrowser(one, `/play/${gameId}`, w.token);
  const black = await openBrowser(two, `/play/${gameId}`, b.token);
  const watcher = await openBrowser(two, `/watch/${gameId}`);
  const all = [white, black, watcher];
  for (const x of all) await x.until((y) => y.v === 0, 'got the state');

  // relay-2 loses its subscription and cannot come back (no connection is let in) for a while.
  const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]);
  await admin.config('SET', 'maxclients', String(connected - 1));
  await admin.client('KILL', 'ID', await subscriberOf('relay-2'));

  // Meanwhile white moves: the event is published while relay-2 hears nothing.
  white.move('e2e4', 0);
  await white.until((x) => x.acked.includes(0), 'got its ack');
  expect(white.moves).toEqual(['e2e4']);
  expect(black.moves).toEqual([]);

  // Back: the relay asks about its rooms, lila-core replays the move, nobody reconnects.
  await admin.config('SET', 'maxclients', '10000');
  for (const x of [black, watcher]) await x.until((y) => y.moves.length === 1, 'got the missed move', 10_000);

  black.move('e7e5', 1);
  for (const x of all) await x.until((y) => y.moves.length === 2, 'got the next move');
  for (const x of all) {
    expect(x.moves).toEqual(['e2e4', 'e7e5']);
    expect(x.versions).toEqual([0, 1, 2]);
    expect(x.outOfOrder).toEqual([]);
    expect(x.closes).toEqual([]);
    expect(x.connections).toBe(1);
  }
  all.forEach((x) => x.close());
});

import { Redis } from 'ioredis';
import { SITE_IN } from '../../protocol/channels.js';
import { getGame, newGame, newUser } from '../support/api.js';
import { SITE_FIGURES } from '../../scripts/fixtures/format.js';
import { connect, type Client } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Redis cuts lila-core's `site-in` subscription (its output buffer overflowed: here CLIENT KILL
 * while lila-core is stopped, so that what Redis queued for it is discarded) after a relay
 * published more messages than it keeps for resends (10,000). Relay and lila-core agree to go on
 * after the lost ones (`lost`), the sockets whose actions were lost hear `unavailable`, a stamped
 * move among them is sent again and acknowledged, and traffic flows again.
 */
const BATCH = 20_000;

let stack: Stack;
let redis: Redis;
const open: Client[] = [];
beforeAll(async () => {
  // The flood comes from one socket, faster than the rate limits let a person go.
  stack = await startStack({ relays: 1, env: { RATE_LIMIT_FACTOR: '1000' } });
  redis = new Redis(stack.redisUrl);
}, 60_000);
afterAll(async () => {
  if (stack?.core.process.exitCode === null) stack.core.process.kill('SIGCONT');
  open.forEach((s) => s.close());
  redis?.disconnect();
  await stack?.stop();
});

/** CLIENT LIST's fields for the connection named `name`. */
async function client(name: string): Promise<Record<string, string>> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  if (!line) throw new Error(`no Redis client named ${name}`);
  return Object.fromEntries(line.split(' ').map((field) => field.split('=', 2) as [string, string]));
}

/**
 * Floods `site-in` with clock requests, 20,000 per watcher socket (under its scaled rate limit).
 * Once Redis queues messages for lila-core's subscription (the kernel's socket buffers are full:
 * what they took will still reach lila-core), `mover` sends `move`, then one more batch goes:
 * the move is among the messages lost, and no longer in the relay's log (the last 10,000).
 */
async function flood(watchers: Client[], mover: Client, move: unknown): Promise<{ sent: number; queued: number }> {
  const listener = new Redis(stack.redisUrl);
  let seen = 0;
  let size = 0;
  let waiting: { count: number; resolve: () => void } | undefined;
  let moved: (() => void) | undefined;
  listener.on('message', (_channel: string, message: string) => {
    if (message.includes('"t":"move"')) moved?.();
    if (!message.includes('"t":"clock"')) return;
    size = message.length;
    if (++seen === waiting?.count) waiting.resolve();
  });
  await listener.subscribe(SITE_IN);
  const queued = async () => Number((await client('core-sub')).omem) / size;
  let sent = false;
  for (const watcher of watchers) {
    await new Promise<void>((resolve) => {
      waiting = { count: seen + BATCH, resolve };
      for (let i = 0; i < BATCH; i++) watcher.send({ t: 'clock' });
    });
    if (sent) break;
    if ((await queued()) < 1) continue;
    await new Promise<void>((resolve) => {
      moved = resolve;
      mover.send(move);
    });
    sent = true;
  }
  listener.disconnect();
  if (!sent) throw new Error('Redis never queued anything for lila-core');
  return { sent: seen, queued: Math.round(await queued()) };
}

test('messages lost beyond the relay’s log: lila-core goes on after them, no acknowledged move is lost', async () => {
  const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, white, black);
  const url = stack.relayUrls[0];
  const w = await connect(`${url}/play/${gameId}?token=${white.token}`);
  const b = await connect(`${url}/play/${gameId}?token=${black.token}`);
  // Their flood's answers are not the subject: left aside.
  const ignore = new Set(['crowd', 'clock', ...SITE_FIGURES]);
  const watchers = await Promise.all([1, 2, 3, 4].map(() => connect(`${url}/watch/${gameId}`, {}, ignore)));
  open.push(w, b, ...watchers);
  for (const s of open) await s.next((f) => f.t === 'state');

  // lila-core stops reading: Redis queues everything for its subscription, and counts it heard.
  stack.core.process.kill('SIGSTOP');
  const { sent, queued } = await flood(watchers, w, { t: 'move', d: { u: 'e2e4', a: 1 } });
  expect(queued).toBeGreaterThan(BATCH);
  await redis.call('CLIENT', 'KILL', 'ID', (await client('core-sub')).id);
  stack.core.process.kill('SIGCONT');
  const cutAt = Date.now();

  // The stamped move was among the lost: sent again, played once, acknowledged.
  expect(await w.next((f) => f.t === 'ack', 15_000)).toEqual({ t: 'ack', d: 1 });
  const ackedAfter = Date.now() - cutAt;
  // Some watcher's requests were lost (the first ones' went through the kernel's buffers): it is told.
  const told = await Promise.any(watchers.map((watcher) => watcher.next((f) => f.t === 'error', 15_000)));
  expect(told).toMatchObject({ d: { code: 'unavailable' } });
  // New traffic flows: black answers, and is acknowledged.
  const before = Date.now();
  b.send({ t: 'move', d: { u: 'e7e5', a: 1 } });
  expect(await b.next((f) => f.t === 'ack', 15_000)).toEqual({ t: 'ack', d: 1 });
  const moveAfter = Date.now() - before;
  process.stdout.write(
    `site-in loss: ${sent} messages published while lila-core was stopped, ${queued} of them queued for it in Redis; ` +
      `lost move acknowledged ${ackedAfter} ms after the cut, next move acknowledged in ${moveAfter} ms\n`,
  );

  const declared = stack.relays[0].output.find((line) => line.includes('no longer kept'));
  expect(declared).toBeDefined();
  // lila-core notices the cut once it has read what the kernel still held for it.
  const timeOf = (line: string | undefined) => (JSON.parse(line ?? '{}') as { time: number }).time;
  const noticed = timeOf(stack.core.output.find((line) => line.includes('redis connection closed')));
  const agreed = timeOf(stack.core.output.find((line) => line.includes('lost for good')));
  process.stdout.write(
    `site-in loss: lila-core noticed the cut ${noticed - cutAt} ms after it, the relay declared the loss ` +
      `${timeOf(declared) - noticed} ms later, lila-core took it ${agreed - noticed} ms later\n`,
  );
  expect((await getGame(stack, gameId)).moves).toEqual(['e2e4', 'e7e5']);
}, 60_000);

import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { SITE_IN } from '../../protocol/channels.js';
import type { SocketEnvelope } from '../../protocol/core-in.js';
import { consumeSiteIn } from '../../lila-core/bus.js';
import type { Publisher } from '../../lila-core/publish.js';
import { STAMP_MAX_AGE_MS } from '../../lila-core/receive-time.js';
import { createRelayLiveness } from '../../lila-core/relay-liveness.js';
import { createLogger } from '../../src/log.js';

/**
 * `site-in` as lila-core consumes it (bus.ts), with Redis and the handlers faked: the bound on
 * what one relay may have in flight (issue #13), and the time each action is taken to happen.
 */
const NOW = 1_700_000_000_000;

function setup(o: { stamps: 'trusted' | 'ignored'; limit?: number }) {
  const subscriber = Object.assign(new EventEmitter(), {
    subscribe: () => Promise.resolve(1),
    unsubscribe: () => Promise.resolve(1),
  });
  const told: { relay: string; sid: string; frame: string; a?: number }[] = [];
  const publish = {
    socket: (relay: string, sid: string, frame: string, a?: number) =>
      Promise.resolve(void told.push({ relay, sid, frame, ...(a === undefined ? {} : { a }) })),
    resend: () => Promise.resolve(),
  } as unknown as Publisher;
  const handled: { m: SocketEnvelope; at: number }[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seqs = new Map<string, number>();
  const send = (relay: string, t: string, d?: unknown, at?: number) => {
    const seq = (seqs.get(relay) ?? 0) + 1;
    seqs.set(relay, seq);
    const envelope = { relay, boot: `${relay}-b`, seq, sid: `s${seq}`, user: 'u', room: 'game:abcd1234', t, d, at };
    subscriber.emit('message', SITE_IN, JSON.stringify(envelope));
  };
  const started = consumeSiteIn({
    subscriber: subscriber as unknown as Redis,
    publish,
    liveness: createRelayLiveness(),
    handle: (m, at) => {
      handled.push({ m, at });
      return gate;
    },
    stamps: o.stamps,
    relayQueueLimit: o.limit,
    now: () => NOW,
    log: createLogger('core', 'silent'),
  });
  return { started, send, told, handled, release };
}

test('past its bound, a relay’s client actions are refused `unavailable` at once, answering the move’s ack id', async () => {
  const { started, send, told, handled, release } = setup({ stamps: 'trusted', limit: 3 });
  await started;
  for (let a = 1; a <= 3; a++) send('r1', 'move', { u: 'e2e4', a });
  send('r1', 'move', { u: 'e2e4', a: 4 });
  send('r1', 'talk', 'hello');
  expect(handled.map((h) => h.m.t)).toEqual(['move', 'move', 'move']);
  expect(told).toEqual([
    { relay: 'r1', sid: 's4', frame: expect.stringContaining('"code":"unavailable"') as string, a: 4 },
    { relay: 'r1', sid: 's5', frame: expect.stringContaining('"code":"unavailable"') as string },
  ]);
  // Joins and leaves follow sockets: never refused. Other relays are not held back.
  send('r1', 'join', { role: 'watch' });
  send('r1', 'leave');
  send('r2', 'move', { u: 'd2d4', a: 1 });
  expect(handled.map((h) => `${h.m.relay}:${h.m.t}`)).toEqual([
    'r1:move',
    'r1:move',
    'r1:move',
    'r1:join',
    'r1:leave',
    'r2:move',
  ]);
  // Once they are done, there is room again.
  release();
  await new Promise((resolve) => setImmediate(resolve));
  send('r1', 'talk', 'back');
  expect(handled.at(-1)?.m).toMatchObject({ relay: 'r1', t: 'talk' });
  expect(told).toHaveLength(2);
});

test('each action comes with when it happened: the relay’s stamp within tolerance, else its receipt', async () => {
  const { started, send, handled } = setup({ stamps: 'trusted' });
  await started;
  send('r1', 'move', { u: 'e2e4' }, NOW - 250);
  send('r1', 'move', { u: 'e2e4' }, NOW - STAMP_MAX_AGE_MS - 1);
  send('r1', 'move', { u: 'e2e4' }, NOW + 5_000);
  send('r1', 'move', { u: 'e2e4' });
  expect(handled.map((h) => h.at)).toEqual([NOW - 250, NOW, NOW, NOW]);
});

test('under the manual clock, stamps are ignored', async () => {
  const { started, send, handled } = setup({ stamps: 'ignored' });
  await started;
  send('r1', 'move', { u: 'e2e4' }, NOW - 250);
  expect(handled.map((h) => h.at)).toEqual([NOW]);
});

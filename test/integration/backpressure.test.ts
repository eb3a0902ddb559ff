import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { encodeCoreOut } from '../../protocol/wire.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { MAX_BACKPRESSURE_BYTES } from '../../ws-server/socket-events.js';

/**
 * A socket that stops reading cannot make its relay hold without bound what the room sends it:
 * past MAX_BACKPRESSURE_BYTES waiting for it, the relay closes it. A socket of the same room that
 * reads gets every frame. (The kernel's socket buffers take several MB first, so the room sends
 * far more than the bound.)
 */

let stack: Stack;
let redis: Redis;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
  redis = new Redis(stack.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

const FRAMES = 6000;
const FRAME = JSON.stringify({ t: 'n', d: 'x'.repeat(4000) });

const open = (path: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${stack.relayUrls[0]}${path}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

const connections = async (): Promise<number> => {
  const health = (await (await fetch(`${stack.relayUrls[0].replace(/^ws/, 'http')}/health`)).json()) as {
    connections: number;
  };
  return health.connections;
};

test('a socket that never reads is closed by its relay; one that reads gets all of it', async () => {
  expect(MAX_BACKPRESSURE_BYTES).toBeLessThanOrEqual(256 * 1024);
  const stalled = await open('/site');
  let stalledGot = 0;
  stalled.on('message', () => stalledGot++);
  const stalledClosed = new Promise<number>((resolve) => stalled.once('close', resolve));
  const reader = await open('/site');
  let received = 0;
  const all = new Promise<void>((resolve) =>
    reader.on('message', (data: Buffer) => {
      if (data.toString() === FRAME && ++received === FRAMES) resolve();
    }),
  );
  // Its TCP stream paused: what the relay sends stays in the kernel's buffers, then in the relay's.
  const stream = (stalled as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  stream.pause();
  expect(await connections()).toBe(2);

  const message = encodeCoreOut({ t: 'room' }, FRAME);
  for (let i = 0; i < FRAMES; i += 100)
    await Promise.all(Array.from({ length: 100 }, () => redis.publish('site', message)));
  await all;
  expect(received).toBe(FRAMES);

  // Reading again, it finds what the kernel held, then the end the relay gave it: it never closed itself.
  stream.resume();
  expect(await stalledClosed).toBe(1006);
  expect(stalledGot).toBeLessThan(FRAMES);
  expect(await connections()).toBe(1);
  reader.close();
});

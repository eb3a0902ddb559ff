/* global setTimeout */
/**
 * The Socket.IO 4 peer of the benchmark: one Socket.IO server, WebSocket transport only, as a user
 * would deploy it behind Redis. Two of these run side by side (bench/targets/socketio.ts).
 *
 * A client names its room in the handshake query (`?room=`); the server joins it and emits
 * `joined` ({ room, recovered }), the confirmation the benchmark waits for. Payloads come from
 * outside through Redis and are emitted as `m` with the payload string as the only argument.
 *
 * Environment: PEERS_DIR (where bench/peers/install.sh put the packages), PORT, REDIS_URL, and
 * RECOVERY=1 for connection state recovery. Recovery needs an adapter that stores sessions:
 * @socket.io/redis-adapter (pub/sub) cannot restore one, so with RECOVERY=1 the server uses
 * @socket.io/redis-streams-adapter, the Redis adapter Socket.IO documents for recovery, and
 * without it @socket.io/redis-adapter, which @socket.io/redis-emitter publishes to.
 *
 * Prints `socketio listening on <port>` once its Redis subscriptions are in place.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const peers = process.env.PEERS_DIR;
const port = Number(process.env.PORT);
const redisUrl = process.env.REDIS_URL;
const recovery = process.env.RECOVERY === '1';
if (!peers || !port || !redisUrl) {
  console.error('PEERS_DIR, PORT and REDIS_URL are required');
  process.exit(2);
}
const require = createRequire(join(peers, 'package.json'));
const { Server } = require('socket.io');
const { createClient } = require('redis');

// The name tells this server's connections apart in CLIENT LIST (the readiness check below).
const clientName = `socketio-${port}`;
const pubClient = createClient({ url: redisUrl, name: clientName });
pubClient.on('error', (err) => console.error(`redis: ${err.message}`));
await pubClient.connect();

let adapter;
let subClient;
if (recovery) {
  adapter = require('@socket.io/redis-streams-adapter').createAdapter(pubClient);
} else {
  subClient = pubClient.duplicate();
  subClient.on('error', (err) => console.error(`redis: ${err.message}`));
  await subClient.connect();
  adapter = require('@socket.io/redis-adapter').createAdapter(pubClient, subClient);
}

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  adapter,
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } } : {}),
});

io.on('connection', (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room !== 'string' || room === '') {
    socket.disconnect(true);
    return;
  }
  // A recovered socket is back in its rooms already, and has been sent what it missed.
  if (!socket.recovered) socket.join(room);
  socket.emit('joined', { room, recovered: socket.recovered });
});

// Ready only once a publish can reach this server. Pub/sub adapter: replies on one connection
// come in order, so once a later subscription is confirmed, the adapter's own are too. Streams
// adapter: its reader connection (same name, duplicated) is blocked in XREAD.
if (subClient) {
  await subClient.subscribe(`${clientName}-ready`, () => undefined);
} else {
  let reading = false;
  for (let i = 0; i < 250 && !reading; i++) {
    const list = await pubClient.sendCommand(['CLIENT', 'LIST']);
    reading = list.split('\n').some((l) => l.includes(` name=${clientName} `) && / cmd=xread /.test(l));
    if (!reading) await new Promise((r) => setTimeout(r, 20));
  }
  if (!reading) {
    console.error('the streams adapter never started reading');
    process.exit(1);
  }
}

await new Promise((resolve, reject) => {
  http.once('error', reject);
  http.listen(port, '127.0.0.1', resolve);
});
console.log(`socketio listening on ${port} (${recovery ? 'redis-streams-adapter, recovery on' : 'redis-adapter'})`);

// A deploy: close every socket (with recovery, their sessions are saved to Redis first), then
// let the Redis commands in flight finish before exiting. Clients see a transport close and
// reconnect, to the other server once this one is gone.
let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  const deadline = setTimeout(() => process.exit(0), 10_000);
  deadline.unref();
  io.close(async () => {
    await Promise.allSettled([pubClient.quit(), subClient?.quit()]);
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

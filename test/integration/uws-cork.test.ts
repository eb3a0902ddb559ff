import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { relayChannel, SITE_IN } from '../../protocol/channels.js';
import { encodeCoreOut } from '../../protocol/wire.js';
import { freePort, startNode, startRedis, type Service } from '../../scripts/stack/services.js';

/**
 * uWS prints `uWS.HttpResponse writes must be made from within a corked callback` for every write
 * to an HttpResponse made after the handler returned (an await) outside `res.cork`. A relay, with
 * Redis and a fake lila-core that admits spectators of one game only, is taken through each such
 * path: a socket upgraded after lila-core's join answer, a join refused (504) after lila-core did
 * not answer, /metrics, /health; then its whole output must hold no such warning.
 */

const ADMITTED = 'corkgame';

let dir: string;
let redis: Service;
let relay: Service;
let base: string;
let core: Redis[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lila-uws-cork-'));
  const redisPort = await freePort();
  redis = await startRedis(redisPort, join(dir, 'redis'));
  const [sub, pub] = (core = [0, 1].map(() => new Redis(`redis://127.0.0.1:${redisPort}`)));
  sub.on('message', (_channel: string, raw: string) => {
    const e = JSON.parse(raw) as { t: string; relay: string; sid: string; room: string };
    if (e.t !== 'join' || e.room !== `game:${ADMITTED}`) return;
    const answer = encodeCoreOut({ t: 'join', sid: e.sid, status: 200, v: 0 }, '{"t":"state","v":0,"d":{}}');
    void pub.publish(relayChannel(e.relay), answer);
  });
  await sub.subscribe(SITE_IN);
  const port = await freePort();
  relay = await startNode(
    'relay',
    {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SESSION_SECRET: 'uws-cork-secret-0123456789-abcdefghijkl',
      DATA_DIR: dir,
      PORT: String(port),
      RELAY_ID: 'cork-1',
      JOIN_TIMEOUT_MS: '200',
    },
    undefined,
    'relay-cork',
  );
  base = `127.0.0.1:${port}`;
});

afterAll(async () => {
  core.forEach((r) => r.disconnect());
  await Promise.all([relay, redis].filter(Boolean).map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the socket once open, or with the HTTP status its upgrade was refused with. */
const upgrade = (path: string) =>
  new Promise<WebSocket | number>((resolve) => {
    const ws = new WebSocket(`ws://${base}${path}`);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });

test('a relay writes to HTTP responses and upgrades only within a corked callback', async () => {
  // Upgraded once `site` is subscribed, and once lila-core admitted it.
  for (const path of ['/site', `/watch/${ADMITTED}`]) {
    const ws = await upgrade(path);
    expect(ws).toBeInstanceOf(WebSocket);
    // Open for good: a ping is answered (a socket upgraded inside cork must not be closed under it).
    const pong = new Promise((answered) => (ws as WebSocket).once('message', answered));
    (ws as WebSocket).send('null');
    expect(String(await pong)).toMatch(/^(0|\{"t":"state".*)$/);
    (ws as WebSocket).close();
  }
  // lila-core does not answer for this game: the join times out, and the upgrade is refused after the wait.
  expect(await upgrade('/watch/abcdefgh')).toBe(504);
  // /metrics answers after the registry's promise.
  const metrics = await fetch(`http://${base}/metrics`);
  expect(metrics.status).toBe(200);
  await metrics.text();
  expect((await fetch(`http://${base}/health`)).status).toBe(200);

  // Its whole output, once the process is gone and its pipes are read to the end.
  const closed = new Promise((done) => relay.process.once('close', done));
  await relay.stop('SIGTERM');
  await closed;
  expect(relay.output.filter((line) => /corked callback/.test(line))).toEqual([]);
});

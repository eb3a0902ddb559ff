import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { LIMITS, loopback, RELAY_FAILS, renderNginxConf, type NginxOptions } from '../../scripts/stack/nginx-render.js';
import { nginxTemplate, writeNginxConf } from '../../scripts/stack/nginx-conf.js';
import { freePort, startNginx, type Service } from '../../scripts/stack/services.js';
import { call, getGame, newGame, newUser } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Everything through nginx, as browsers meet it: the HTTP API, a game with its sockets spread over
 * two relays, the per-address limits (a household gets in, a flood gets 429), and failover when a
 * relay refuses with 503 or is stopped. Each client address is its own loopback address
 * (127.0.0.x), since nginx keys its limits on it.
 */

let stack: Stack;
/** The same stack, its HTTP API reached through the edge. */
let edge: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2, nginx: true });
  edge = { ...stack, httpUrl: stack.edgeUrl! };
});
afterAll(() => stack?.stop());

const edgeWs = (path: string) => `${stack.edgeUrl!.replace(/^http/, 'ws')}${path}`;
const relayHttp = (i: number) => stack.relayUrls[i].replace(/^ws/, 'http');
const accessLog = (prefix = join(stack.dir, 'nginx')) => join(prefix, 'access.log');

async function relayConnections(i: number): Promise<number> {
  const res = await fetch(`${relayHttp(i)}/health`);
  return ((await res.json()) as { connections: number }).connections;
}

type LogLine = { status: number; uri: string; ip: string; upstream: string; upstream_status: string };

/**
 * The access log's lines once `done` holds for them. nginx writes a line when a request ends (for
 * a socket, when it closes) on its own schedule; there is no event to await, so the file is read
 * every 25 ms, for at most 5 s.
 */
async function logUntil(
  file: string,
  done: (lines: LogLine[]) => boolean,
): Promise<{ lines: LogLine[]; text: string }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Not written yet.
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const lines = complete
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
    if (done(lines)) return { lines, text: complete };
    if (Date.now() > deadline) throw new Error(`the access log never got there:\n${complete}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A socket opened from a given loopback address: open (101), refused with an HTTP status and its
 * body, hung (0) or failed without an answer (-1).
 */
type Attempt =
  { status: 101; ws: WebSocket; ping(): Promise<void>; close(): Promise<void> } | { status: number; body?: string };

function attempt(url: string, from: string, timeoutMs = 10_000): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { localAddress: from });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ status: 0 });
    }, timeoutMs);
    const closed = new Promise<void>((done) => ws.once('close', () => done()));
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({
        status: 101,
        ws,
        // The relay answers the ping frame `null` with `0`; other frames (a state, the seeks) may come first.
        ping: () =>
          new Promise<void>((pong, fail) => {
            const deadline = setTimeout(() => fail(new Error(`no pong on ${url}`)), 5000);
            const onMessage = (data: WebSocket.RawData) => {
              if ((data as Buffer).toString() !== '0') return;
              clearTimeout(deadline);
              ws.off('message', onMessage);
              pong();
            };
            ws.on('message', onMessage);
            ws.send('null');
          }),
        close: () => (ws.close(), closed),
      });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', () => {
      clearTimeout(timer);
      resolve({ status: -1 });
    });
  });
}

const isOpen = (a: Attempt): a is Extract<Attempt, { status: 101 }> => a.status === 101;
const statuses = (attempts: Attempt[]) =>
  attempts.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});

const versions = (socket: Client) =>
  socket.seen.filter((f): f is Frame => typeof f === 'object' && f !== null && 'v' in f).map((f) => f.v as number);

test('the HTTP API, /health and the web root through the edge; relays and metrics stay private', async () => {
  const [white, black] = [await newUser(edge, 'w'), await newUser(edge, 'b')];
  const challenge = await call(
    edge,
    'POST',
    `/api/challenge/${black.id}`,
    { clock: { limit: 60, increment: 1 } },
    white.token,
  );
  expect(challenge).toMatchObject({ status: 201, json: { challenge: { id: expect.any(String) } } });
  const accepted = await call(edge, 'POST', `/api/challenge/${challenge.json.challenge.id}/accept`, {}, black.token);
  expect(accepted.status).toBe(201);
  const gameId = accepted.json.game.id as string;
  expect(await getGame(edge, gameId)).toMatchObject({ id: gameId, status: 'started', moves: [] });
  // The same game, asked of lila-core directly.
  expect(await getGame(stack, gameId)).toEqual(await getGame(edge, gameId));

  expect(await call(edge, 'GET', '/api/nothing-here')).toMatchObject({
    status: 404,
    json: { error: { code: 'not_found' } },
  });
  expect(await call(edge, 'GET', '/health')).toMatchObject({
    status: 200,
    json: { redis: 'connected', mongo: 'connected' },
  });

  const home = await fetch(`${stack.edgeUrl}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get('content-type')).toBe('text/html');
  expect(await home.text()).toContain('<title>lila-ts</title>');
  // The web UI's router has every other path: a game, a user, the sign-in page are the same page.
  for (const path of ['/abcd1234', '/@/someone', '/login']) {
    const page = await fetch(`${stack.edgeUrl}${path}`);
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([
      200,
      'text/html',
      await (await fetch(`${stack.edgeUrl}/`)).text(),
    ]);
  }
  const bundle = await fetch(`${stack.edgeUrl}/app.js`);
  expect([bundle.status, bundle.headers.get('content-type')]).toEqual([200, 'text/javascript']);

  // Metrics are for the operators' scraper, on each process's own port.
  expect((await fetch(`${stack.edgeUrl}/metrics`)).status).toBe(404);
  // A socket path asked for without a WebSocket upgrade.
  const plain = await call(edge, 'GET', '/site');
  expect(plain).toMatchObject({ status: 426, json: { error: { code: 'upgrade_required' } } });
});

test('a whole game through the edge, its sockets spread over both relays; every client gets every move', async () => {
  const [white, black] = [await newUser(edge, 'w'), await newUser(edge, 'b')];
  const gameId = await newGame(edge, white, black);
  const before = [await relayConnections(0), await relayConnections(1)];

  const w = await connect(edgeWs(`/play/${gameId}?token=${white.token}`));
  const b = await connect(edgeWs(`/play/${gameId}?token=${black.token}`));
  const spectators = [];
  for (let i = 0; i < 4; i++) spectators.push(await connect(edgeWs(`/watch/${gameId}`)));
  const sockets = [w, b, ...spectators];
  for (const s of sockets) expect(await s.next()).toMatchObject({ t: 'state', v: 0, d: { id: gameId } });

  // least_conn alternates: each relay holds some of the six.
  const added = [(await relayConnections(0)) - before[0], (await relayConnections(1)) - before[1]];
  expect(added[0] + added[1]).toBe(sockets.length);
  expect(Math.min(...added)).toBeGreaterThanOrEqual(2);

  const { ucis, fen } = sanLine(OPERA_GAME);
  for (const [ply, uci] of ucis.entries()) {
    const mover = ply % 2 === 0 ? w : b;
    mover.send({ t: 'move', d: { u: uci, a: ply } });
    expect(await mover.next((f) => f.t === 'ack')).toEqual({ t: 'ack', d: ply });
    for (const s of sockets) expect(await s.next((f) => f.t === 'move')).toMatchObject({ v: ply + 1, d: { uci } });
  }
  for (const s of sockets) {
    expect(await s.next((f) => f.t === 'end')).toMatchObject({ d: { status: 'mate', winner: 'white' } });
    expect(versions(s)).toEqual([...Array(ucis.length + 2).keys()]);
  }
  expect(await getGame(edge, gameId)).toMatchObject({ moves: ucis, fen, status: 'mate' });

  // Once closed, the sockets are in the access log: JSON, keyed like our logs, and no token.
  sockets.forEach((s) => s.close());
  await Promise.all(sockets.map((s) => s.closed));
  const { lines, text } = await logUntil(
    accessLog(),
    (all) => all.filter((l) => l.uri.endsWith(gameId) && l.status === 101).length === sockets.length,
  );
  expect(lines.find((l) => l.uri === `/play/${gameId}`)).toMatchObject({
    level: 30,
    proc: 'nginx',
    msg: 'request',
    method: 'GET',
    ip: '127.0.0.1',
    status: 101,
    time: expect.any(Number),
  });
  for (const token of [white.token, black.token]) expect(text).not.toContain(token);
  expect(text).not.toContain('token=');
});

test('a household: 60 sockets opened at once from one address all get through', async () => {
  const [host, guest] = [await newUser(edge, 'h'), await newUser(edge, 'g')];
  const gameId = await newGame(edge, host, guest);
  // 20 players with three tabs each (the site, the lobby, a game), all reconnecting at once.
  const paths = [...Array(20).keys()].flatMap(() => ['/site', '/lobby', `/watch/${gameId}`]);
  const attempts = await Promise.all(paths.map((path) => attempt(edgeWs(path), '127.0.0.3')));
  expect(statuses(attempts)).toEqual({ 101: 60 });
  const open = attempts.filter(isOpen);
  await Promise.all(open.map((a) => a.ping()));
  await Promise.all(open.map((a) => a.close()));
});

test('a flood from one address gets 429 past the burst, answered at once; other addresses are unaffected; it passes again soon after', async () => {
  const flood = 2 * LIMITS.socketBurst;
  const started = Date.now();
  const attempts = await Promise.all([...Array(flood).keys()].map(() => attempt(edgeWs('/site'), '127.0.0.4')));
  const counts = statuses(attempts);
  expect(Date.now() - started).toBeLessThan(5000);
  // Every attempt ended one way or the other: none hung (0) or failed without an answer (-1).
  expect(Object.keys(counts).sort()).toEqual(['101', '429']);
  expect(counts[101]).toBeGreaterThanOrEqual(LIMITS.socketBurst + 1);
  // At most the burst, plus what the rate let through while the flood lasted (and one second's slack).
  const seconds = (Date.now() - started) / 1000;
  expect(counts[101]).toBeLessThanOrEqual(LIMITS.socketBurst + 1 + Math.ceil((seconds + 1) * LIMITS.socketRate));
  expect(counts[429]).toBeGreaterThan(0);

  // A refusal says why, in the shape of every other refusal.
  const refusal = attempts.find((a) => a.status === 429) as { body: string };
  expect(JSON.parse(refusal.body)).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });

  const open = attempts.filter(isOpen);
  await Promise.all(open.map((a) => a.ping()));
  // Another address is not held back by the flood.
  const neighbour = await attempt(edgeWs('/site'), '127.0.0.5');
  expect(neighbour.status).toBe(101);
  if (isOpen(neighbour)) await neighbour.close();

  await Promise.all(open.map((a) => a.close()));
  // Refusals were not counted: one interval of the rate later, the flooding address gets in again.
  let again: Attempt = { status: 0 };
  const deadline = Date.now() + 3000;
  while (!isOpen(again) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000 / LIMITS.socketRate));
    again = await attempt(edgeWs('/site'), '127.0.0.4');
    expect([101, 429]).toContain(again.status);
  }
  expect(again.status).toBe(101);
  if (isOpen(again)) await again.close();
}, 60_000);

describe('a second edge with a relay that answers 503 and a low cap on connections per address', () => {
  let nginx: Service;
  let fake: Server;
  let upgrades = 0;
  let url: string;
  const prefix = () => join(stack.dir, 'nginx-b');
  const connPerIp = 5;

  beforeAll(async () => {
    // What a relay whose Redis is down, or that is draining, does: refuse the upgrade with 503.
    fake = createServer((_req, res) => res.writeHead(503).end());
    fake.on('upgrade', (_req, socket) => {
      upgrades++;
      const body = '{"error":{"code":"unavailable","message":"not ready"}}';
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    const fakePort = await freePort();
    await new Promise<void>((listening) => fake.listen(fakePort, '127.0.0.1', listening));
    const port = await freePort();
    const conf = writeNginxConf({
      prefix: prefix(),
      listen: loopback(port),
      relays: [loopback(fakePort), loopback(new URL(stack.relayUrls[1]).port)],
      core: loopback(new URL(stack.httpUrl).port),
      limits: { connPerIp },
    });
    nginx = await startNginx(prefix(), conf);
    url = `ws://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise((closed) => fake?.close(closed));
  });

  test('sockets go to the relay that accepts; the refusing one is rested after max_fails', async () => {
    const open = [];
    for (let i = 0; i < 4; i++) {
      const a = await attempt(`${url}/site`, '127.0.0.6');
      expect(a.status).toBe(101);
      if (isOpen(a)) open.push(a);
    }
    await Promise.all(open.map((a) => a.ping()));
    expect(upgrades).toBe(RELAY_FAILS.maxFails);
    await Promise.all(open.map((a) => a.close()));

    const { lines } = await logUntil(
      accessLog(prefix()),
      (all) => all.filter((l) => l.ip === '127.0.0.6').length === 4,
    );
    // In whichever order they closed: the refusing relay tried first, then not at all.
    const tried = lines.filter((l) => l.ip === '127.0.0.6').map((l) => l.upstream_status);
    expect(tried.sort()).toEqual(['101', ...Array(RELAY_FAILS.maxFails).fill('503, 101')]);
  });

  test('past the cap of open sockets an address gets 429; a socket closed makes room', async () => {
    const open = [];
    for (let i = 0; i < connPerIp; i++) {
      const a = await attempt(`${url}/site`, '127.0.0.7');
      expect(a.status).toBe(101);
      if (isOpen(a)) open.push(a);
    }
    expect((await attempt(`${url}/site`, '127.0.0.7')).status).toBe(429);
    await open.pop()!.close();
    const last = await attempt(`${url}/site`, '127.0.0.7');
    expect(last.status).toBe(101);
    if (isOpen(last)) open.push(last);
    await Promise.all(open.map((a) => a.close()));
  });
});

test('a relay stopped in mid-game: its clients come back through the edge to the other one, and new sockets open there', async () => {
  const [white, black] = [await newUser(edge, 'w'), await newUser(edge, 'b')];
  const gameId = await newGame(edge, white, black);
  const paths = [
    `/play/${gameId}?token=${white.token}`,
    `/play/${gameId}?token=${black.token}`,
    ...Array(4).fill(`/watch/${gameId}`),
  ];
  const sockets: Client[] = [];
  for (const path of paths) sockets.push(await connect(edgeWs(path)));
  for (const s of sockets) await s.next((f) => f.t === 'state');
  const { ucis } = sanLine(OPERA_GAME);
  const players = (): [Client, Client] => [sockets[0], sockets[1]];
  const play = async (ply: number) => {
    const mover = players()[ply % 2];
    mover.send({ t: 'move', d: { u: ucis[ply], a: ply } });
    expect(await mover.next((f) => f.t === 'ack', 10_000)).toEqual({ t: 'ack', d: ply });
    for (const s of sockets) expect(await s.next((f) => f.t === 'move', 10_000)).toMatchObject({ v: ply + 1 });
  };
  for (let ply = 0; ply < 4; ply++) await play(ply);

  await stack.relays[0].stop();
  // Whoever was on the stopped relay reconnects through the edge, from the version it has. A
  // socket on the other relay answers a ping; one on the stopped relay is closed, or closes.
  const alive = async (s: Client) => {
    s.send(null);
    return s
      .next((f) => (f as unknown) === 0)
      .then(
        () => true,
        () => false,
      );
  };
  let reconnected = 0;
  for (const [i, s] of sockets.entries()) {
    if (await alive(s)) continue;
    const seen = versions(s);
    const path = paths[i]!;
    sockets[i] = await connect(edgeWs(`${path}${path.includes('?') ? '&' : '?'}v=${seen[seen.length - 1]}`));
    reconnected++;
  }
  expect(reconnected).toBeGreaterThan(0);
  expect(reconnected).toBeLessThan(sockets.length);

  const before = await relayConnections(1);
  const fresh = await Promise.all([...Array(10).keys()].map(() => connect(edgeWs('/site'))));
  expect(await relayConnections(1)).toBe(before + fresh.length);
  for (const s of fresh) {
    s.send(null);
    expect(await s.next()).toBe(0);
  }

  // The game goes on, and every socket, old or new, has every version.
  for (let ply = 4; ply < 8; ply++) await play(ply);
  for (const s of sockets) expect(versions(s).slice(-4)).toEqual([5, 6, 7, 8]);
  const all = [...sockets, ...fresh];
  all.forEach((s) => s.close());
  await Promise.all(all.map((s) => s.closed));

  // nginx tried the stopped relay (502) before the live one, and said nothing of tokens about it.
  const { lines } = await logUntil(accessLog(), (l) => l.some((line) => /^502, 101$/.test(line.upstream_status)));
  expect(lines.filter((l) => l.upstream_status.startsWith('502')).length).toBeGreaterThan(0);
  expect(stack.nginx!.output.join('\n')).not.toContain('token=');
}, 60_000);

describe('rendering the template', () => {
  const template = readFileSync(nginxTemplate, 'utf8');
  const options: NginxOptions = {
    listen: '127.0.0.1:8080',
    relays: ['127.0.0.1:9664', '10.0.0.7:9664'],
    core: '127.0.0.1:9663',
    webRoot: '/srv/web',
    prefix: '/var/lib/lila-nginx/',
  };

  test('every relay becomes a server of the upstream, every value lands, no name is left over', () => {
    const conf = renderNginxConf(template, options);
    expect(conf).not.toMatch(/\{\{\w+\}\}/);
    for (const relay of options.relays)
      expect(conf).toContain(
        `server ${relay} max_fails=${RELAY_FAILS.maxFails} fail_timeout=${RELAY_FAILS.failTimeout}s;`,
      );
    expect(conf).toContain('listen 127.0.0.1:8080;');
    expect(conf).toContain('access_log /var/lib/lila-nginx/access.log lila;');
    expect(conf).toContain(`rate=${LIMITS.socketRate}r/s`);
    expect(conf).toContain(`burst=${LIMITS.socketBurst} nodelay`);
    expect(conf).not.toMatch(/^user /m);
    expect(renderNginxConf(template, { ...options, user: 'www-data' })).toMatch(/^user www-data;$/m);
  });

  test('a value that would be read as configuration is refused', () => {
    expect(() => renderNginxConf(template, { ...options, relays: ['127.0.0.1:9664; include /etc/passwd'] })).toThrow(
      /bad relay address/,
    );
    expect(() => renderNginxConf(template, { ...options, webRoot: '/srv/web; autoindex on' })).toThrow(/bad web root/);
    expect(() => renderNginxConf(template, { ...options, relays: [] })).toThrow(/relay list/);
    expect(() => renderNginxConf(template, { ...options, limits: { socketBurst: 0 } })).toThrow(/socket burst/);
    expect(() => renderNginxConf('{{nope}}', options)).toThrow(/unknown value/);
  });
});

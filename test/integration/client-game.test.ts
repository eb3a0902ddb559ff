import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { createClient, type ClientStatus, type Frame, type SocketClient } from '../../client/index.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { getGame, newGame, newUser } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';

/**
 * The socket client against the real stack (two relays behind nginx): two clients and a
 * spectator play a whole game while a relay drains, and a player's connection is cut and, later,
 * goes silent. Each time the client comes back with `?v=`, and the game goes on with every move
 * played once and seen once by everyone.
 */

const { ucis } = sanLine(OPERA_GAME);
const PLIES = ucis.length;
/** Faster than a browser's, so that the test does not wait on jitter; the rules are the same. */
const timing = { reconnectMinMs: 100, reconnectMaxMs: 400, pongTimeoutMs: 2000 };

/** A client and what it saw: the game's moves, every versioned frame, each socket's URL. */
type Seat = {
  client: SocketClient;
  urls: string[];
  moves: string[];
  versions: number[];
  statuses: ClientStatus[];
  until(done: (s: Seat) => boolean, what: string, timeoutMs?: number): Promise<void>;
};

function sit(url: string, token?: string): Seat {
  const urls: string[] = [];
  // Records each socket's URL: the ?v= a reconnect carries.
  class Recording extends WebSocket {
    constructor(u: string) {
      super(u);
      urls.push(u);
    }
  }
  const client = createClient({ url, token, WebSocket: Recording, timing });
  const waiters = new Set<() => void>();
  const seat: Seat = {
    client,
    urls,
    moves: [],
    versions: [],
    statuses: [],
    until: (done, what, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!done(seat)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${url}: never ${what}; moves ${seat.moves.join(' ')}, v ${client.version}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
  const wake = () => [...waiters].forEach((w) => w());
  client.on('frame', (f: Frame) => {
    if ('v' in f && f.v !== undefined) seat.versions.push(f.v);
    if ('t' in f && f.t === 'state') seat.moves = [...f.d.moves];
    if ('t' in f && f.t === 'move') seat.moves.push(f.d.uci);
    wake();
  });
  client.on('status', (s) => {
    seat.statuses.push(s);
    wake();
  });
  return seat;
}

/** A TCP relay between a client and the edge, which a test can cut or silence. */
type Line = { url: string; cut(): void; silenceDownstream(): void; close(): Promise<void> };

async function lineTo(edgeUrl: string): Promise<Line> {
  const target = new URL(edgeUrl);
  const pairs = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    const pair = { client, upstream, silent: false };
    pairs.add(pair);
    client.on('data', (b) => upstream.write(b));
    // A silenced line swallows what the server says: the client hears nothing, not even a close.
    upstream.on('data', (b) => pair.silent || client.write(b));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    cut: () => pairs.forEach((p) => (p.client.destroy(), p.upstream.destroy())),
    silenceDownstream: () => pairs.forEach((p) => (p.silent = true)),
    close: () => {
      pairs.forEach((p) => (p.client.destroy(), p.upstream.destroy()));
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const versionOf = (url: string) => new URL(url).searchParams.get('v');

/** Every seat has the whole game, each versioned frame once and in order. */
function expectWholeGame(seats: Seat[], moves: string[]): void {
  for (const s of seats) {
    expect(s.moves).toEqual(moves);
    expect(s.versions).toEqual([...s.versions].sort((a, b) => a - b));
    expect(new Set(s.versions).size).toBe(s.versions.length);
  }
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2, nginx: true, env: { DRAIN_SPREAD_MS: '1000' } });
}, 60_000);
afterAll(() => stack?.stop());

const connectionsOn = async (relay: number): Promise<number> => {
  const res = await fetch(`${stack.relayUrls[relay].replace(/^ws/, 'http')}/health`);
  return ((await res.json()) as { connections: number }).connections;
};

/** Two players and a spectator at a new game, each with its state. */
async function table(whiteUrl?: string) {
  const [w, b] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
  const gameId = await newGame(stack, w, b);
  const edge = stack.edgeUrl!.replace(/^http/, 'ws');
  const white = sit(`${whiteUrl ?? edge}/play/${gameId}`, w.token);
  const black = sit(`${edge}/play/${gameId}`, b.token);
  const watcher = sit(`${edge}/watch/${gameId}`);
  const seats = [white, black, watcher];
  await Promise.all(seats.map((s) => s.until((x) => x.client.version === 0, 'got the state')));
  /** The mover moves; resolves once every seat has the move and the mover its ack. */
  const play = async (ply: number) => {
    const mover = ply % 2 === 0 ? white : black;
    mover.client.move(ucis[ply]);
    await Promise.all(seats.map((s) => s.until((x) => x.moves.length > ply, `got ply ${ply + 1}`)));
    await mover.until((x) => x.client.pendingMoves.length === 0, `had ply ${ply + 1} acknowledged`);
  };
  return { gameId, white, black, watcher, seats, play };
}

test('a relay drains mid-game: its clients come back with ?v= through nginx and the game ends in mate', async () => {
  const t = await table();
  for (let ply = 0; ply < 10; ply++) await t.play(ply);
  const draining = (await connectionsOn(0)) > 0 ? 0 : 1;
  const onDraining = await connectionsOn(draining);
  expect(onDraining).toBeGreaterThan(0);
  const exited = stack.relays[draining].stop('SIGTERM');
  for (let ply = 10; ply < PLIES; ply++) await t.play(ply);
  expect(await exited).toBe(0);

  await Promise.all(t.seats.map((s) => s.until((x) => x.client.version === PLIES + 1, 'got the end')));
  expectWholeGame(t.seats, ucis);
  const moved = t.seats.filter((s) => s.urls.length > 1);
  expect(moved).toHaveLength(onDraining);
  for (const s of moved) {
    expect(s.statuses).toContain('reconnecting');
    // Back with the version it had: caught up from the relay's history, not from a new state.
    expect(Number(versionOf(s.urls[1]))).toBeGreaterThanOrEqual(10);
  }
  expect(await getGame(stack, t.gameId)).toMatchObject({ moves: ucis, status: 'mate' });
  t.seats.forEach((s) => s.client.close());
}, 120_000);

test('a cut connection, then a silent one: moves made meanwhile are played exactly once', async () => {
  const line = await lineTo(stack.edgeUrl!.replace(/^http/, 'ws'));
  const t = await table(line.url);
  try {
    for (let ply = 0; ply < 4; ply++) await t.play(ply);

    // Cut: white hears the close at once and reconnects; a move made meanwhile waits for the new socket.
    line.cut();
    await t.white.until((x) => x.client.status !== 'open', 'lost its socket');
    t.white.client.move(ucis[4]);
    await Promise.all(t.seats.map((s) => s.until((x) => x.moves.length > 4, 'got ply 5')));
    await t.white.until((x) => x.client.pendingMoves.length === 0, 'had ply 5 acknowledged');
    expect(t.white.urls).toHaveLength(2);
    expect(versionOf(t.white.urls[1])).toBe('4');
    await t.play(5);

    // Silent: white's move reaches the server but nothing comes back, not the ack, not the pong.
    // After the pong timeout the client gives the socket up, reconnects, and sends the move again.
    line.silenceDownstream();
    t.white.client.move(ucis[6]);
    await t.black.until((x) => x.moves.length > 6, 'got ply 7');
    await t.white.until((x) => x.urls.length === 3 && x.client.status === 'open', 'reconnected');
    await t.white.until((x) => x.moves.length > 6 && x.client.pendingMoves.length === 0, 'got ply 7 and its ack');
    expect(versionOf(t.white.urls[2])).toBe('6');
    for (let ply = 7; ply < 12; ply++) await t.play(ply);

    await Promise.all(t.seats.map((s) => s.until((x) => x.client.version === 12, 'got ply 12')));
    expectWholeGame(t.seats, ucis.slice(0, 12));
    expect((await getGame(stack, t.gameId)).moves).toEqual(ucis.slice(0, 12));
  } finally {
    t.seats.forEach((s) => s.client.close());
    await line.close();
  }
}, 120_000);

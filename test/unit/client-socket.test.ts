import { createClient, DEFAULT_TIMING, type ClientEvents, type SocketClient } from '../../client/index.js';
import { FakeClock, FakeSocket, stateFrame } from './client-fakes.js';

/**
 * The socket driver against a fake socket and a fake clock: every behaviour of lichess's client
 * that the library promises, by the clock, with nothing real in the way.
 */

let clock: FakeClock;
let random: number;
let client: SocketClient | undefined;

beforeEach(() => {
  FakeSocket.all = [];
  clock = new FakeClock();
  random = 0;
});
afterEach(() => client?.close());

function open(o: { version?: number; token?: string; url?: string } = {}) {
  const seen: { [K in keyof ClientEvents]: ClientEvents[K][] } = {
    frame: [],
    status: [],
    lag: [],
    resync: [],
    refused: [],
    invalid: [],
  };
  client = createClient({
    url: o.url ?? 'ws://relay.test/play/abcd1234',
    token: o.token,
    version: o.version,
    WebSocket: FakeSocket,
    clock,
    random: () => random,
  });
  for (const k of Object.keys(seen) as (keyof ClientEvents)[]) client.on(k, (v) => seen[k].push(v as never));
  return { client, seen };
}

/** Opens the latest socket and answers its first ping `ms` later. */
function openAndPong(ms = 0): FakeSocket {
  const s = FakeSocket.last;
  s.open();
  clock.advance(ms);
  s.pong();
  return s;
}

const moveEvent = (v: number, uci = 'e2e4') => ({
  t: 'move',
  v,
  d: { ply: v, uci, san: 'x', fen: 'x', clock: { white: 300, black: 300 } },
});

describe('connecting and pinging', () => {
  test('connects with ?v= of the version it has and the token, and pings null as soon as it opens', () => {
    const { seen } = open({ version: 7, token: 'tok' });
    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.last.query('v')).toBe('7');
    expect(FakeSocket.last.query('token')).toBe('tok');
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual(['null']);
    expect(seen.status).toEqual(['open']);
  });

  test('no version yet: no ?v=', () => {
    open();
    expect(FakeSocket.last.query('v')).toBeNull();
  });

  test('pings again 2.5 s after each pong, not before', () => {
    open();
    const s = openAndPong(40);
    clock.advance(DEFAULT_TIMING.pingDelayMs - 1);
    expect(s.sent).toHaveLength(1);
    clock.advance(1);
    expect(s.sent).toEqual(['null', 'null']);
  });

  test('lag: the mean of the first four round trips, then an exponential average', () => {
    const { client, seen } = open();
    const s = openAndPong(100);
    for (const ms of [200, 300, 400, 1400]) {
      clock.advance(DEFAULT_TIMING.pingDelayMs);
      clock.advance(ms);
      s.pong();
    }
    expect(seen.lag.slice(0, 4)).toEqual([100, 150, 200, 250]);
    expect(client.lagMs).toBeCloseTo(250 + 0.1 * (1400 - 250));
  });

  test('now and then a ping carries the lag: {"t":"p","l":ms}', () => {
    open();
    const s = openAndPong(80);
    for (let i = 0; i < 12; i++) {
      clock.advance(DEFAULT_TIMING.pingDelayMs + 80);
      s.pong();
    }
    const pings = s.frames;
    expect(pings.filter((p) => p !== null)).toEqual([
      { t: 'p', l: 80 },
      { t: 'p', l: 80 },
    ]);
    expect(pings[2]).toEqual({ t: 'p', l: 80 });
  });
});

describe('reconnecting', () => {
  test('no pong within 9 s: the socket is dropped and a new one opens after a jittered delay, with ?v=', () => {
    const { seen } = open({ version: 3 });
    const s = FakeSocket.last;
    s.open();
    s.receive(moveEvent(4));
    clock.advance(DEFAULT_TIMING.pongTimeoutMs - 1);
    expect(s.closedWith).toBeUndefined();
    clock.advance(1);
    expect(s.closedWith).toBe(1000);
    expect(seen.status).toEqual(['open', 'reconnecting']);
    random = 0.5;
    clock.advance(DEFAULT_TIMING.reconnectMinMs - 1);
    expect(FakeSocket.all).toHaveLength(1);
    clock.advance(1);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last.query('v')).toBe('4');
  });

  test('the delay is random between the bounds', () => {
    open();
    random = 0.5;
    openAndPong();
    FakeSocket.last.serverClose(1006);
    const midway = (DEFAULT_TIMING.reconnectMinMs + DEFAULT_TIMING.reconnectMaxMs) / 2;
    clock.advance(midway - 1);
    expect(FakeSocket.all).toHaveLength(1);
    clock.advance(1);
    expect(FakeSocket.all).toHaveLength(2);
  });

  test('attempts that never open double the wait, up to a bound', () => {
    open();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      FakeSocket.last.serverClose(1006);
      const before = clock.now();
      const count = FakeSocket.all.length;
      while (FakeSocket.all.length === count) clock.advance(100);
      waits.push(clock.now() - before);
    }
    const min = DEFAULT_TIMING.reconnectMinMs;
    expect(waits).toEqual([2 * min, 4 * min, 8 * min, 8 * min, 8 * min]);
  });

  test('closed with 4001 (session revoked): closed for good', () => {
    const { seen } = open();
    openAndPong();
    FakeSocket.last.serverClose(4001);
    clock.advance(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(seen.status.at(-1)).toBe('closed');
  });

  test('after serverRestart the relay closes with 1012 and the client comes back with ?v=', () => {
    open({ version: 5 });
    const s = openAndPong();
    s.receive({ t: 'serverRestart' });
    s.serverClose(1012);
    clock.advance(DEFAULT_TIMING.reconnectMaxMs);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last.query('v')).toBe('5');
  });

  test('after serverRestart, a relay that keeps the socket too long is left by the client', () => {
    open({ version: 5 });
    const s = openAndPong();
    s.receive({ t: 'serverRestart' });
    // Pongs keep coming: only the restart makes it leave.
    for (let at = 0; at < DEFAULT_TIMING.restartGraceMs; at += DEFAULT_TIMING.pingDelayMs) {
      clock.advance(DEFAULT_TIMING.pingDelayMs);
      s.pong();
    }
    expect(s.closedWith).toBe(1000);
    clock.advance(DEFAULT_TIMING.reconnectMaxMs);
    expect(FakeSocket.all).toHaveLength(2);
  });

  test('close() stops everything: no timer left, no new socket', () => {
    const { client } = open();
    openAndPong();
    client.close();
    expect(FakeSocket.last.closedWith).toBe(1000);
    expect(clock.pending).toBe(0);
  });
});

describe('sending', () => {
  test('frames sent while connecting are queued and sent on open, after the ping', () => {
    const { client } = open();
    client.send({ t: 'talk', d: 'hello' });
    client.send({ t: 'draw-yes' });
    FakeSocket.last.open();
    expect(FakeSocket.last.frames).toEqual([null, { t: 'talk', d: 'hello' }, { t: 'draw-yes' }]);
  });

  test('frames sent while reconnecting wait for the new socket', () => {
    const { client } = open();
    openAndPong();
    FakeSocket.last.serverClose(1006);
    client.send({ t: 'resign' });
    clock.advance(DEFAULT_TIMING.reconnectMaxMs);
    FakeSocket.last.open();
    expect(FakeSocket.last.frames).toEqual([null, { t: 'resign' }]);
  });

  test('moves get increasing ack ids and the measured lag', () => {
    const { client } = open();
    openAndPong(70);
    expect([client.move('e2e4'), client.move('e7e5'), client.move('g1f3')]).toEqual([1, 2, 3]);
    expect(FakeSocket.last.frames.slice(1)).toEqual(
      [1, 2, 3].map((a, i) => ({
        t: 'move',
        d: { u: ['e2e4', 'e7e5', 'g1f3'][i], a, l: 70 },
      })),
    );
  });

  test('a move made while connecting is sent once, on open', () => {
    const { client } = open();
    client.move('e2e4');
    FakeSocket.last.open();
    expect(FakeSocket.last.frames).toEqual([null, { t: 'move', d: { u: 'e2e4', a: 1 } }]);
  });

  test('an unacknowledged move is sent again after 2.5 s, at the next 1.2 s check; an acknowledged one is not', () => {
    const { client } = open();
    const s = openAndPong();
    client.move('e2e4');
    client.move('d2d4');
    s.receive({ t: 'ack', d: 2 });
    const moves = () => s.frames.filter((f) => (f as { t?: string })?.t === 'move');
    // Checks at 1.2 and 2.4 s find nothing 2.5 s old; the one at 3.6 s does.
    clock.advance(3 * DEFAULT_TIMING.resendCheckMs - 1);
    expect(moves()).toHaveLength(2);
    clock.advance(1);
    expect(moves()).toHaveLength(3);
    expect(moves()[2]).toEqual({ t: 'move', d: { u: 'e2e4', a: 1, l: 0 } });
    expect(client.pendingMoves).toEqual([{ u: 'e2e4', a: 1, l: 0 }]);
    s.receive({ t: 'ack', d: 1 });
    clock.advance(10_000);
    expect(moves()).toHaveLength(3);
    expect(client.pendingMoves).toEqual([]);
  });

  test('on reconnect, every unacknowledged move goes at once, with its own ack id', () => {
    const { client } = open();
    openAndPong();
    client.move('e2e4');
    client.move('d2d4');
    FakeSocket.last.receive({ t: 'ack', d: 1 });
    FakeSocket.last.serverClose(1006);
    clock.advance(DEFAULT_TIMING.reconnectMaxMs);
    FakeSocket.last.open();
    expect(FakeSocket.last.frames).toEqual([null, { t: 'move', d: { u: 'd2d4', a: 2, l: 0 } }]);
  });

  test('a refused move is not sent again; the end of the game forgets pending moves', () => {
    const { client, seen } = open();
    const s = openAndPong();
    client.move('e2e5');
    s.receive({ t: 'error', d: { code: 'illegal_move', message: 'no' } });
    expect(seen.refused).toEqual([{ move: { u: 'e2e5', a: 1, l: 0 }, code: 'illegal_move' }]);
    client.move('e2e4');
    s.receive({ t: 'error', d: { code: 'unavailable', message: 'try again' } });
    expect(client.pendingMoves).toHaveLength(1);
    s.receive({ t: 'end', v: 1, d: { winner: 'white', status: 'resign', clock: { white: 1, black: 1 } } });
    expect(client.pendingMoves).toEqual([]);
  });
});

describe('versions', () => {
  test('repeats are dropped and placeholders counted: each event reaches the application once', () => {
    const { client, seen } = open({ version: 3 });
    const s = openAndPong();
    for (const f of [moveEvent(4), moveEvent(4), { v: 5 }, moveEvent(3), moveEvent(6)]) s.receive(f);
    expect(seen.frame.map((f) => (f as { v: number }).v)).toEqual([4, 6]);
    expect(client.version).toBe(6);
  });

  test('a gap is waited on briefly; filled, its events come in order', () => {
    const { seen } = open({ version: 3 });
    const s = openAndPong();
    s.receive(moveEvent(5));
    clock.advance(DEFAULT_TIMING.gapWaitMs - 1);
    s.receive(moveEvent(4));
    expect(seen.frame.map((f) => (f as { v: number }).v)).toEqual([4, 5]);
    clock.advance(DEFAULT_TIMING.gapWaitMs);
    expect(seen.resync).toEqual([]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  test('a gap that does not fill: resync, by a new socket without ?v=, whose state comes through', () => {
    const { client, seen } = open({ version: 3 });
    const s = openAndPong();
    s.receive(moveEvent(5));
    clock.advance(DEFAULT_TIMING.gapWaitMs);
    expect(seen.resync).toEqual(['gap']);
    expect(s.closedWith).toBe(1000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last.query('v')).toBeNull();
    FakeSocket.last.open();
    FakeSocket.last.receive(stateFrame(9));
    FakeSocket.last.receive(moveEvent(10));
    expect(seen.frame.map((f) => (f as { t: string }).t)).toEqual(['state', 'move']);
    expect(client.version).toBe(10);
  });

  test('resync from the relay: the state that follows is taken whatever its version', () => {
    const { client, seen } = open({ version: 30 });
    const s = openAndPong();
    s.receive({ t: 'resync' });
    s.receive(stateFrame(12));
    expect(seen.resync).toEqual(['server']);
    expect(seen.frame.map((f) => (f as { t: string }).t)).toEqual(['resync', 'state']);
    expect(client.version).toBe(12);
    clock.advance(DEFAULT_TIMING.snapshotWaitMs);
    expect(FakeSocket.all).toHaveLength(1);
  });

  test('resync with no state after it: the client fetches it with a socket without ?v=', () => {
    open({ version: 30 });
    const s = openAndPong();
    s.receive({ t: 'resync' });
    clock.advance(DEFAULT_TIMING.snapshotWaitMs);
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last.query('v')).toBeNull();
  });

  test('a frame that is not of the protocol is reported, and its version still counted', () => {
    const { client, seen } = open({ version: 3 });
    const s = openAndPong();
    s.receive({ t: 'mystery', v: 4 });
    s.receive('not json');
    s.receive(moveEvent(5));
    expect(seen.invalid).toEqual(['{"t":"mystery","v":4}', 'not json']);
    expect(client.version).toBe(5);
  });
});

describe('idle', () => {
  test('after 10 minutes without activity: slower pings and slower reconnects', () => {
    open();
    const s = openAndPong();
    const ping = () => {
      clock.advance(DEFAULT_TIMING.pingDelayMs);
      s.pong();
    };
    while (clock.now() < DEFAULT_TIMING.idleAfterMs) ping();
    const sent = s.sent.length;
    clock.advance(DEFAULT_TIMING.pingDelayMs);
    expect(s.sent).toHaveLength(sent);
    clock.advance(DEFAULT_TIMING.idlePingExtraMs);
    expect(s.sent).toHaveLength(sent + 1);
    s.serverClose(1006);
    clock.advance(DEFAULT_TIMING.idleReconnectMinMs - 1);
    expect(FakeSocket.all).toHaveLength(1);
    clock.advance(1);
    expect(FakeSocket.all).toHaveLength(2);
  });

  test('idle for long: the socket closes (asleep); activity brings it back with ?v=', () => {
    const { client, seen } = open({ version: 2 });
    const s = openAndPong();
    const limit = DEFAULT_TIMING.idleAfterMs + DEFAULT_TIMING.sleepAfterIdleMs;
    while (s.closedWith === undefined && clock.now() < limit + 10_000) {
      clock.advance(DEFAULT_TIMING.pingDelayMs + DEFAULT_TIMING.idlePingExtraMs);
      s.pong();
    }
    expect(clock.now()).toBeGreaterThanOrEqual(limit);
    expect(seen.status.at(-1)).toBe('asleep');
    expect(clock.pending).toBe(0);
    client.activity();
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last.query('v')).toBe('2');
  });

  test('sending counts as activity: pings stay 2.5 s apart past 10 minutes', () => {
    const { client } = open();
    const s = openAndPong();
    while (clock.now() < DEFAULT_TIMING.idleAfterMs - 5000) {
      clock.advance(DEFAULT_TIMING.pingDelayMs);
      s.pong();
    }
    client.send({ t: 'clock' });
    while (clock.now() < DEFAULT_TIMING.idleAfterMs + 5000) {
      clock.advance(DEFAULT_TIMING.pingDelayMs);
      s.pong();
    }
    const sent = s.sent.length;
    clock.advance(DEFAULT_TIMING.pingDelayMs);
    expect(s.sent).toHaveLength(sent + 1);
  });
});

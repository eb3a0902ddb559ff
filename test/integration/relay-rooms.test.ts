import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { relayChannel, Room, SITE_IN } from '../../protocol/channels.js';
import type { Audience } from '../../protocol/core-out.js';
import { encodeCoreOut } from '../../protocol/wire.js';
import { freePort, startNode, startRedis, type Service } from '../../scripts/stack/services.js';
import type { TapLine } from '../../src/tap.js';
import { tapUntil } from '../support/tap.js';
import { signToken } from '../../src/token.js';
import { connect, type Client, type Frame } from '../support/client.js';

/**
 * Game rooms as relays serve them, against a fake lila-core written here: audiences (a frame in
 * full to some roles, its version alone to the others), versions contiguous on every socket,
 * catch-up from the relay's history with `?v=`, resync when it cannot, and `leave` on site-in.
 * Real redis-server and two real relays; the fake core answers joins and publishes what each test says.
 */

const SECRET = 'relay-rooms-secret-0123456789-abcdefghij';

type Envelope = { relay: string; boot: string; seq: number; sid: string; user: string | null; room: string; t: string };
type Game = {
  id: string;
  white: string;
  black: string;
  v: number;
  /** Published right after the join answer, in the same write: they reach the relay before the socket opens. */
  afterJoin?: { frame: Record<string, unknown>; to?: Audience }[];
  /** Holds join answers until the test releases them. */
  held?: (answer: () => Promise<void>) => void;
};

/** lila-core's part, faked: answers joins from its games, publishes room events, records envelopes. */
async function startFakeCore(redisUrl: string) {
  const sub = new Redis(redisUrl);
  const pub = new Redis(redisUrl);
  const games = new Map<string, Game>();
  const heard: Envelope[] = [];
  const arrivals = new EventEmitter();

  const eventMessage = (game: Game, frame: Record<string, unknown>, to?: Audience): [string, string] => {
    const v = ++game.v;
    return [Room.game(game.id), encodeCoreOut({ t: 'room', v, ...(to && { to }) }, JSON.stringify({ ...frame, v }))];
  };

  async function answerJoin(e: Envelope & { d: { role: 'play' | 'watch' } }): Promise<void> {
    const game = games.get(e.room.slice('game:'.length));
    const reply = relayChannel(e.relay);
    if (!game) return void (await pub.publish(reply, encodeCoreOut({ t: 'join', sid: e.sid, status: 404 })));
    const side = e.user === game.white ? 'white' : e.user === game.black ? 'black' : undefined;
    if (e.d.role === 'play' && !side)
      return void (await pub.publish(reply, encodeCoreOut({ t: 'join', sid: e.sid, status: 403 })));
    const color = e.d.role === 'play' ? side : undefined;
    const answer = encodeCoreOut(
      { t: 'join', sid: e.sid, status: 200, v: game.v, ...(color && { color }) },
      JSON.stringify({ t: 'state', v: game.v, d: { id: game.id } }),
    );
    const after = (game.afterJoin ?? []).map(({ frame, to }) => eventMessage(game, frame, to));
    game.afterJoin = undefined;
    const send = async () => {
      const batch = pub.pipeline().publish(reply, answer);
      for (const [channel, message] of after) batch.publish(channel, message);
      await batch.exec();
    };
    if (game.held) game.held(send);
    else await send();
  }

  sub.on('message', (_channel: string, raw: string) => {
    const e = JSON.parse(raw) as Envelope & { d: { role: 'play' | 'watch' } };
    if (e.t === 'tick') return;
    // Relays ask for the revoked sessions before they take sockets with a token: there are none.
    if (e.t === 'revocations')
      return void pub.publish(relayChannel(e.relay), encodeCoreOut({ t: 'revoked', d: [], last: true }));
    heard.push(e);
    arrivals.emit('envelope');
    if (e.t === 'join') void answerJoin(e);
  });
  await sub.subscribe(SITE_IN);

  return {
    heard,
    newGame(v = 0): Game {
      const id = `g${randomBytes(5).toString('hex')}`;
      const game = { id, white: `w${id}`, black: `b${id}`, v };
      games.set(id, game);
      return game;
    },
    /** A versioned event to `to` (everyone when absent); its version is the game's next. */
    async event(game: Game, frame: Record<string, unknown>, to?: Audience): Promise<number> {
      const [channel, message] = eventMessage(game, frame, to);
      await pub.publish(channel, message);
      return game.v;
    },
    /** A message without a version, as `crowd`. */
    async unversioned(game: Game, frame: Record<string, unknown>): Promise<void> {
      await pub.publish(Room.game(game.id), encodeCoreOut({ t: 'room' }, JSON.stringify(frame)));
    },
    /** The first envelope heard that matches, awaited if need be. */
    envelope(match: (e: Envelope) => boolean, timeoutMs = 5000): Promise<Envelope> {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = heard.find(match);
          if (!found) return;
          clearTimeout(timer);
          arrivals.off('envelope', look);
          resolve(found);
        };
        const timer = setTimeout(() => {
          arrivals.off('envelope', look);
          reject(new Error(`no such envelope within ${timeoutMs} ms; heard ${JSON.stringify(heard.slice(-10))}`));
        }, timeoutMs);
        arrivals.on('envelope', look);
        look();
      });
    },
    close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}

let dir: string;
let tapFile: string;
let redis: Service;
const relays: Service[] = [];
const relayUrls: string[] = [];
let core: Awaited<ReturnType<typeof startFakeCore>>;
/** Publishes what the fake core does not: replays. */
let raw: Redis;
const clients: Client[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lila-relay-rooms-'));
  tapFile = join(dir, 'tap.jsonl');
  const redisPort = await freePort();
  redis = await startRedis(redisPort, join(dir, 'redis'));
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  core = await startFakeCore(redisUrl);
  raw = new Redis(redisUrl);
  for (const i of [1, 2]) {
    const port = await freePort();
    const env = {
      REDIS_URL: redisUrl,
      SESSION_SECRET: SECRET,
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      RELAY_ID: `rooms-${i}`,
      ...(i === 1 && { TAP: tapFile }),
    };
    relays.push(await startNode('relay', env, undefined, `relay-${i}`));
    relayUrls.push(`ws://127.0.0.1:${port}`);
  }
});

afterAll(async () => {
  for (const c of clients) c.close();
  core?.close();
  raw?.disconnect();
  await Promise.all([...relays, redis].filter(Boolean).map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

const token = (user: string) =>
  signToken(SECRET, { userId: user, name: user, expiresAt: Math.floor(Date.now() / 1000) + 3600 });

/** Opens /play (as `user`) or /watch (without a user) on relay `relay` (1 or 2), `query` added. */
async function open(relay: 1 | 2, game: Game, user?: string, query = ''): Promise<Client> {
  const path = user ? `/play/${game.id}?token=${token(user)}${query && '&'}${query}` : `/watch/${game.id}?${query}`;
  // Nothing ignored: `crowd` is one of the frames under test here.
  const client = await connect(`${relayUrls[relay - 1]}${path}`, {}, new Set());
  clients.push(client);
  return client;
}

/** The frames received so far, once the one of version `v` is among them. */
async function framesUpTo(client: Client, v: number): Promise<unknown[]> {
  await client.next((f) => f.v === v);
  return [...client.seen];
}

/** The versions a socket saw, in order: contiguous by contract. */
const versions = (frames: unknown[]) =>
  frames.filter((f): f is Frame => typeof (f as Frame)?.v === 'number').map((f) => f.v);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const state = (game: Game, v: number) => ({ t: 'state', v, d: { id: game.id } });
const talk = (text: string) => ({ t: 'message', d: { u: null, text } });
const move = (uci: string) => ({ t: 'move', d: { uci } });

test('each role gets an event in full or as its version alone, with versions contiguous on every socket', async () => {
  const game = core.newGame(3);
  // White and a spectator on relay 1, black and a spectator on relay 2.
  const w = await open(1, game, game.white);
  const s1 = await open(1, game);
  const b = await open(2, game, game.black);
  const s2 = await open(2, game);
  for (const c of [w, s1, b, s2]) expect(await c.next()).toEqual(state(game, 3));

  await core.event(game, talk('players only'), 'players'); // 4
  await core.event(game, { t: 'goneIn', d: 20 }, 'white'); // 5
  await core.event(game, move('e2e4')); // 6
  await core.unversioned(game, { t: 'crowd', d: { white: true, black: true, watchers: 2 } });
  await core.event(game, talk('spectators only'), 'spectators'); // 7
  await core.event(game, { t: 'gone', d: false }, 'black'); // 8

  const crowd = { t: 'crowd', d: { white: true, black: true, watchers: 2 } };
  const full = {
    4: { ...talk('players only'), v: 4 },
    5: { t: 'goneIn', v: 5, d: 20 },
    6: { ...move('e2e4'), v: 6 },
    7: { ...talk('spectators only'), v: 7 },
    8: { t: 'gone', v: 8, d: false },
  };
  const white = [state(game, 3), full[4], full[5], full[6], crowd, { v: 7 }, { v: 8 }];
  const black = [state(game, 3), full[4], { v: 5 }, full[6], crowd, { v: 7 }, full[8]];
  const spectator = [state(game, 3), { v: 4 }, { v: 5 }, full[6], crowd, full[7], { v: 8 }];
  expect(await framesUpTo(w, 8)).toEqual(white);
  expect(await framesUpTo(b, 8)).toEqual(black);
  expect(await framesUpTo(s1, 8)).toEqual(spectator);
  expect(await framesUpTo(s2, 8)).toEqual(spectator);
  for (const c of [w, b, s1, s2]) expect(versions(c.seen)).toEqual(range(3, 8));

  // The recorder on relay 1: one `topic` line per publish, on the role topics of that relay's sockets.
  const room = Room.game(game.id);
  const isTopic = (l: TapLine): l is Extract<TapLine, { dir: 'topic' }> => l.dir === 'topic';
  const topics = (
    await tapUntil(tapFile, (ls) =>
      ls.some((l) => isTopic(l) && l.topic === `${room}/spectators` && l.raw === '{"v":8}'),
    )
  ).filter(isTopic);
  expect(topics.filter((l) => l.topic.startsWith(room)).map((l) => [l.topic, JSON.parse(l.raw)])).toEqual([
    [`${room}/white`, full[4]],
    [`${room}/spectators`, { v: 4 }],
    [`${room}/white`, full[5]],
    [`${room}/spectators`, { v: 5 }],
    [`${room}/white`, full[6]],
    [`${room}/spectators`, full[6]],
    [`${room}/white`, crowd],
    [`${room}/spectators`, crowd],
    [`${room}/white`, { v: 7 }],
    [`${room}/spectators`, full[7]],
    [`${room}/white`, { v: 8 }],
    [`${room}/spectators`, { v: 8 }],
  ]);
});

test('a reconnect with ?v catches up from the history, without a state frame', async () => {
  const game = core.newGame();
  // The spectator keeps the room (and its history) on relay 1 while white is away.
  const s = await open(1, game);
  const w = await open(1, game, game.white);
  await core.event(game, move('e2e4')); // 1
  await core.event(game, talk('hi'), 'players'); // 2
  expect(versions(await framesUpTo(w, 2))).toEqual([0, 1, 2]);
  w.close();
  await w.closed;

  await core.event(game, { t: 'gone', d: true }, 'black'); // 3
  await core.event(game, move('e7e5')); // 4
  await core.event(game, talk('where are you'), 'players'); // 5
  await framesUpTo(s, 5);

  const back = await open(1, game, game.white, 'v=2');
  await core.event(game, move('g1f3')); // 6
  expect(await framesUpTo(back, 6)).toEqual([
    { v: 3 },
    { ...move('e7e5'), v: 4 },
    { ...talk('where are you'), v: 5 },
    { ...move('g1f3'), v: 6 },
  ]);

  // Already up to date: nothing until the next event.
  const current = await open(1, game, game.white, 'v=6');
  await core.event(game, move('b8c6')); // 7
  expect(await framesUpTo(current, 7)).toEqual([{ ...move('b8c6'), v: 7 }]);
  expect(versions(await framesUpTo(s, 7))).toEqual(range(0, 7));
});

test('a ?v the relay cannot serve gets resync, then the state; a malformed ?v is ignored', async () => {
  const game = core.newGame();
  const s = await open(1, game);
  for (let i = 1; i <= 25; i++) await core.event(game, move(`m${i}`));
  await framesUpTo(s, 25);

  // Older than the 20 kept events.
  const old = await open(1, game, game.black, 'v=2');
  // Ahead of anything lila-core or the relay knows.
  const ahead = await open(1, game, undefined, 'v=40');
  // The other relay holds no history of this room.
  const elsewhere = await open(2, game, game.white, 'v=20');
  const malformed = await open(1, game, undefined, 'v=abc');
  const negative = await open(2, game, undefined, 'v=-1');

  await core.event(game, talk('late'), 'players'); // 26
  const resync = { t: 'resync' };
  expect(await framesUpTo(old, 26)).toEqual([resync, state(game, 25), { ...talk('late'), v: 26 }]);
  expect(await framesUpTo(ahead, 26)).toEqual([resync, state(game, 25), { v: 26 }]);
  expect(await framesUpTo(elsewhere, 26)).toEqual([resync, state(game, 25), { ...talk('late'), v: 26 }]);
  expect(await framesUpTo(malformed, 26)).toEqual([state(game, 25), { v: 26 }]);
  expect(await framesUpTo(negative, 26)).toEqual([state(game, 25), { v: 26 }]);
});

test('an event published between the join answer and the open is not lost, nor sent twice', async () => {
  const game = core.newGame(4);
  game.afterJoin = [{ frame: talk('just now'), to: 'players' }, { frame: move('d2d4') }];
  const b = await open(2, game, game.black);
  game.afterJoin = [{ frame: { t: 'drawOffer', d: { by: 'white' } } }];
  const s = await open(2, game);
  await core.event(game, move('d7d5')); // 8

  expect(await framesUpTo(b, 8)).toEqual([
    state(game, 4),
    { ...talk('just now'), v: 5 },
    { ...move('d2d4'), v: 6 },
    { t: 'drawOffer', v: 7, d: { by: 'white' } },
    { ...move('d7d5'), v: 8 },
  ]);
  expect(await framesUpTo(s, 8)).toEqual([
    state(game, 6),
    { t: 'drawOffer', v: 7, d: { by: 'white' } },
    { ...move('d7d5'), v: 8 },
  ]);
});

test('a socket admitted while its room waits for a replay sees each version once', async () => {
  const game = core.newGame(3);
  const s1 = await open(2, game);
  expect(await s1.next()).toEqual(state(game, 3));
  // Versions 4 and 5 never reach relay 2 (lila-core fenced them off, or Redis lost them); 6 does.
  game.v += 2;
  await core.event(game, move('e2e4')); // 6
  const asked = (e: unknown) => (e as { d?: { rooms?: Record<string, number> } }).d?.rooms?.[Room.game(game.id)];
  const ask = await core.envelope((e) => e.t === 'versions' && e.relay === 'rooms-2' && asked(e) !== undefined);
  expect(asked(ask)).toBe(3);

  // A spectator comes back to relay 2 now: lila-core admits it at version 6, ahead of the room here.
  let answer: (() => Promise<void>) | undefined;
  const held = new Promise<void>((resolve) => (game.held = (send) => ((answer = send), resolve())));
  const s2 = open(2, game, undefined, 'v=6');
  await held;
  game.held = undefined;
  await answer!();
  // A socket of another game admitted after it: relay 2 has read the first answer once this one opens.
  await open(2, core.newGame());

  // lila-core's replay: 4 and 5 as placeholders, 6 again.
  const room = Room.game(game.id);
  const replay = (v: number, frame: string) => encodeCoreOut({ t: 'replay', room, v }, frame);
  await raw.publish(relayChannel('rooms-2'), replay(4, '{"v":4}'));
  await raw.publish(relayChannel('rooms-2'), replay(5, '{"v":5}'));
  await raw.publish(relayChannel('rooms-2'), replay(6, JSON.stringify({ ...move('e2e4'), v: 6 })));
  await core.event(game, move('e7e5')); // 7

  expect(versions(await framesUpTo(s1, 7))).toEqual(range(3, 7));
  expect(await framesUpTo(await s2, 7)).toEqual([{ ...move('e7e5'), v: 7 }]);
});

test('lila-core hears `leave` when a socket closes, and when its upgrade is aborted after the join', async () => {
  const game = core.newGame();
  const w = await open(1, game, game.white);
  const s = await open(2, game);
  const joinOf = (user: string | null, relay: string) =>
    core.envelope((e) => e.t === 'join' && e.room === Room.game(game.id) && e.user === user && e.relay === relay);
  const [wJoin, sJoin] = [await joinOf(game.white, 'rooms-1'), await joinOf(null, 'rooms-2')];

  w.close();
  const wLeave = await core.envelope((e) => e.t === 'leave' && e.sid === wJoin.sid);
  const { relay, boot, sid, user, room } = wJoin;
  expect(wLeave).toEqual({ relay, boot, seq: expect.any(Number), sid, user, room, t: 'leave' });
  expect(wLeave.seq).toBeGreaterThan(wJoin.seq);
  s.close();
  const sLeave = await core.envelope((e) => e.t === 'leave' && e.sid === sJoin.sid);
  expect(sLeave).toMatchObject({ relay: 'rooms-2', user: null, room: Room.game(game.id) });

  // The client gives up while lila-core considers the join; lila-core then admits it.
  let release: (() => Promise<void>) | undefined;
  const heldAnswer = new Promise<void>((resolve) => (game.held = (answer) => ((release = answer), resolve())));
  const gone = new WebSocket(`${relayUrls[0]}/play/${game.id}?token=${token(game.black)}`);
  gone.on('error', () => undefined);
  await heldAnswer;
  const bJoin = await joinOf(game.black, 'rooms-1');
  gone.terminate();
  await release!();
  expect(await core.envelope((e) => e.t === 'leave' && e.sid === bJoin.sid)).toMatchObject({
    user: game.black,
    room: Room.game(game.id),
  });
});

import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { ratedSpeedOf } from '../../lila-core/game/clock.js';
import { newGame, type Game, type Transition } from '../../lila-core/game/game.js';
import { DEFAULT_GLICKO, type Glicko, type Pair } from '../../lila-core/game/glicko.js';
import { drawYes } from '../../lila-core/game/offers.js';
import { abort, move, resign } from '../../lila-core/game/play.js';
import { createRatings } from '../../lila-core/users/ratings.js';
import { openUsers, type Perf, type UserDoc, type UserStore } from '../../lila-core/users/store.js';
import type { ClockConfig } from '../../protocol/game.js';
import { testMongo, type TestMongo } from '../support/mongo.js';

/**
 * Ratings and game counts as stored, in a real FerretDB: what a game's end writes to each account
 * (issue #18: a rating is moved by the game's change, never overwritten), and what is read back.
 */
let mongo: TestMongo;
let client: MongoClient;
let store: UserStore;
beforeAll(async () => {
  mongo = await testMongo('ratings');
  client = await new MongoClient(mongo.url).connect();
  store = openUsers(client.db());
});
afterAll(async () => {
  await client?.close();
  await mongo?.stop();
});
beforeEach(async () => {
  await store.deleteMany({});
});

const T0 = Date.UTC(2026, 11, 8, 12, 0, 0);
const BLITZ: ClockConfig = { limit: 180, increment: 2 };
const SPEED = ratedSpeedOf(BLITZ);
const ALICE = { id: 'alice', name: 'Alice' };
const BOB = { id: 'bob', name: 'Bob' };
const ANON = { id: 'anon-Xy12ab', name: 'Anonymous' };

const perf = (rating: number, games = 7): Perf => ({ rating, rd: 80, vol: 0.06, games });
async function account(id: string, perfs?: UserDoc['perfs']): Promise<void> {
  await store.insertOne({ _id: id, name: id, password: 'x', createdAt: new Date(T0), ...(perfs ? { perfs } : {}) });
}
const stored = (id: string) => store.findOne({ _id: id });

/** A log whose error lines the test reads. */
function errorLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'error' }, sink), lines };
}

/**
 * The real collection, with each call's method name recorded, and `before` run ahead of each
 * updateOne: another writer's real write landing between this module's steps.
 */
function watched(real: UserStore, before?: (call: number) => Promise<void>) {
  const calls: string[] = [];
  let updates = 0;
  const users = new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        calls.push(prop);
        if (prop !== 'updateOne' || !before) return method(...args);
        return before(updates++).then(() => method(...args));
      };
    },
  });
  return { users, calls };
}

function ok(t: Transition): Game {
  if (!t.ok) throw new Error(t.message);
  return t.value.game;
}
function opened(players: { white: typeof ALICE; black: typeof ALICE }, ratings?: Pair<Glicko>): Game {
  const game = newGame('RaTe1234', players, BLITZ, T0, ratings);
  return ok(move(ok(move(game, players.white.id, 'e2e4', T0 + 1000)), players.black.id, 'e7e5', T0 + 2000));
}
/** White resigns: black wins. */
const resigned = (players = { white: ALICE, black: BOB }, ratings?: Pair<Glicko>) =>
  ok(resign(opened(players, ratings), players.white.id, T0 + 3000));
const drawn = (ratings?: Pair<Glicko>) => {
  const game = opened({ white: ALICE, black: BOB }, ratings);
  return ok(drawYes(ok(drawYes(game, ALICE.id, T0 + 3000)), BOB.id, T0 + 4000));
};
const change = (game: Game, color: 'white' | 'black') => game.ratingsAfter![color].rating - game.ratings![color].rating;

describe('a game ends', () => {
  test('unrated: both accounts count the game, the win and the loss, and no rating appears', async () => {
    await account('alice');
    await account('bob');
    const { log, lines } = errorLog();
    const game = resigned();
    expect(game.ratingsAfter).toBeUndefined();
    await createRatings(store, log).recordEnd(game);
    await createRatings(store, log).recordEnd(game);
    expect((await stored('alice'))?.count).toEqual({ games: 2, loss: 2 });
    expect((await stored('alice'))?.perfs).toBeUndefined();
    expect((await stored('bob'))?.count).toEqual({ games: 2, win: 2 });
    expect(lines).toEqual([]);
  });

  test('a draw counts as a draw for both', async () => {
    await account('alice');
    await account('bob');
    await createRatings(store, errorLog().log).recordEnd(drawn());
    expect((await stored('alice'))?.count).toEqual({ games: 1, draw: 1 });
    expect((await stored('bob'))?.count).toEqual({ games: 1, draw: 1 });
  });

  test('aborted: nothing is counted, nothing is written', async () => {
    await account('alice');
    await account('bob');
    const { users, calls } = watched(store);
    const game = ok(abort(newGame('AbOr1234', { white: ALICE, black: BOB }, BLITZ, T0, undefined), ALICE.id, T0));
    expect(game.status).toBe('aborted');
    await createRatings(users, errorLog().log).recordEnd(game);
    expect(calls).toEqual([]);
    expect((await stored('alice'))?.count).toBeUndefined();
  });

  test('an anonymous player is not looked for; the account on the other side counts the game', async () => {
    await account('bob');
    const { users, calls } = watched(store);
    await createRatings(users, errorLog().log).recordEnd(resigned({ white: ANON, black: BOB }));
    expect(calls).toEqual(['updateOne']);
    expect((await stored('bob'))?.count).toEqual({ games: 1, win: 1 });
  });

  test("rated, first game at this speed: the perf is created from the default moved by this game's change", async () => {
    // Alice has a bullet rating only; the snapshot (as games.ts takes it) says 1500 for her blitz.
    await account('alice', { bullet: perf(1900) });
    await account('bob', { blitz: perf(1700) });
    const game = resigned(undefined, { white: DEFAULT_GLICKO, black: glicko(1700) });
    await createRatings(store, errorLog().log).recordEnd(game);
    const alice = await stored('alice');
    expect(alice?.perfs?.[SPEED]).toEqual({ ...game.ratingsAfter!.white, games: 1 });
    expect(alice?.perfs?.bullet).toEqual(perf(1900));
    expect(alice?.count).toEqual({ games: 1, loss: 1 });
    const bob = await stored('bob');
    expect(bob?.perfs?.[SPEED]).toEqual({
      rating: 1700 + change(game, 'black'),
      rd: game.ratingsAfter!.black.rd,
      vol: game.ratingsAfter!.black.vol,
      games: 8,
    });
    expect(bob?.count).toEqual({ games: 1, win: 1 });
  });

  test('a first perf whose snapshot was not the default still moves by the change alone', async () => {
    await account('alice');
    await account('bob');
    const game = resigned(undefined, { white: glicko(1650), black: glicko(1600) });
    await createRatings(store, errorLog().log).recordEnd(game);
    expect((await stored('alice'))?.perfs?.[SPEED]?.rating).toBeCloseTo(1500 + change(game, 'white'), 9);
    expect((await stored('bob'))?.perfs?.[SPEED]?.rating).toBeCloseTo(1500 + change(game, 'black'), 9);
  });

  test('two overlapping rated games of one player at one speed: both changes are applied (issue #18)', async () => {
    await account('alice', { [SPEED]: perf(1600) });
    await account('bob', { [SPEED]: perf(1600) });
    const before = { white: glicko(1600), black: glicko(1600) };
    // Both games started from the same snapshot; the first ends before the second.
    const lost = resigned(undefined, before);
    const drew = drawn({ white: glicko(1600), black: glicko(1620) });
    const ratings = createRatings(store, errorLog().log);
    await ratings.recordEnd(lost);
    await ratings.recordEnd(drew);
    const alice = await stored('alice');
    expect(alice?.perfs?.[SPEED]?.rating).toBeCloseTo(1600 + change(lost, 'white') + change(drew, 'white'), 9);
    expect(alice?.perfs?.[SPEED]).toMatchObject({ rd: drew.ratingsAfter!.white.rd, vol: drew.ratingsAfter!.white.vol });
    expect(alice?.perfs?.[SPEED]?.games).toBe(9);
    expect(alice?.count).toEqual({ games: 2, loss: 1, draw: 1 });
  });

  test("losing the race to create the perf: the other game's perf is moved by this one's change", async () => {
    await account('alice');
    await account('bob');
    const first = resigned(undefined, { white: DEFAULT_GLICKO, black: DEFAULT_GLICKO });
    const other = drawn({ white: DEFAULT_GLICKO, black: DEFAULT_GLICKO });
    const ratings = createRatings(store, errorLog().log);
    // Alice's first update finds no perf; the other game creates it before her create step.
    const { users } = watched(store, async (call) => {
      if (call === 1) await ratings.recordEnd(other);
    });
    await createRatings(users, errorLog().log).recordEnd({ ...first, players: { ...first.players, black: ANON } });
    const alice = await stored('alice');
    expect(alice?.perfs?.[SPEED]?.rating).toBeCloseTo(1500 + change(first, 'white') + change(other, 'white'), 9);
    expect(alice?.perfs?.[SPEED]?.games).toBe(2);
    expect(alice?.count).toEqual({ games: 2, loss: 1, draw: 1 });
  });

  test('a race lost three times in a row: the game is logged as not recorded, and the end does not reject', async () => {
    await account('alice');
    // Before each update, another writer flips the perf: gone before "moved", there before "first".
    const { users, calls } = watched(store, async (call) => {
      if (call % 2 === 0) await store.updateOne({ _id: 'alice' }, { $unset: { perfs: '' } });
      else await store.updateOne({ _id: 'alice' }, { $set: { [`perfs.${SPEED}`]: perf(1234) } });
    });
    const { log, lines } = errorLog();
    const game = resigned({ white: ALICE, black: ANON }, { white: DEFAULT_GLICKO, black: DEFAULT_GLICKO });
    await expect(createRatings(users, log).recordEnd(game)).resolves.toBeUndefined();
    expect(calls.filter((c) => c === 'updateOne')).toHaveLength(6);
    expect(lines).toEqual([
      expect.objectContaining({
        err: 'could not rate alice',
        user: 'alice',
        game: game.id,
        msg: 'could not record a game for a user',
      }),
    ]);
    expect((await stored('alice'))?.count).toBeUndefined();
  });

  test('an account deleted before its game ends: nothing is created for it and nothing logged', async () => {
    await account('bob');
    const { log, lines } = errorLog();
    await createRatings(store, log).recordEnd(resigned(undefined, { white: DEFAULT_GLICKO, black: DEFAULT_GLICKO }));
    expect(await store.countDocuments({})).toBe(1);
    expect((await stored('bob'))?.count).toEqual({ games: 1, win: 1 });
    expect(lines).toEqual([]);
  });
});

function glicko(rating: number): Glicko {
  return { rating, rd: 90, vol: 0.06 };
}

describe("a player's rating", () => {
  test('ratingOf: the rating at the pool clock, rounded as shown, by a name in any case', async () => {
    await account('alice', { [SPEED]: perf(1612.5), bullet: perf(2000) });
    await account('bob', { [SPEED]: perf(1587.4) });
    const { ratingOf } = createRatings(store, errorLog().log);
    expect(await ratingOf('Alice', BLITZ)).toBe(1613);
    expect(await ratingOf('alice', { limit: 60, increment: 0 })).toBe(2000);
    expect(await ratingOf('BOB', BLITZ)).toBe(1587);
  });

  test('ratingOf: the default for no perf at this speed, no perfs, no account, or an anonymous player (not looked up)', async () => {
    await account('alice', { bullet: perf(2000) });
    await account('bob');
    const { users, calls } = watched(store);
    const { ratingOf } = createRatings(users, errorLog().log);
    expect(await ratingOf('alice', BLITZ)).toBe(1500);
    expect(await ratingOf('bob', BLITZ)).toBe(1500);
    expect(await ratingOf('carol', BLITZ)).toBe(1500);
    expect(calls).toHaveLength(3);
    expect(await ratingOf(ANON.id, BLITZ)).toBe(1500);
    expect(calls).toHaveLength(3);
  });

  test("ratings: each side's own rating, deviation and volatility at the speed, the default for one without", async () => {
    await account('alice', { [SPEED]: perf(1612.5), bullet: perf(2000) });
    await account('bob', { bullet: perf(1800) });
    const { ratings } = createRatings(store, errorLog().log);
    const players = { white: ALICE, black: BOB };
    expect(await ratings(players, SPEED)).toEqual({
      white: { rating: 1612.5, rd: 80, vol: 0.06 },
      black: DEFAULT_GLICKO,
    });
    expect(await ratings({ white: BOB, black: ALICE }, 'bullet')).toEqual({
      white: { rating: 1800, rd: 80, vol: 0.06 },
      black: { rating: 2000, rd: 80, vol: 0.06 },
    });
    await account('carol');
    expect(await ratings({ white: { id: 'carol', name: 'Carol' }, black: ANON }, SPEED)).toEqual({
      white: DEFAULT_GLICKO,
      black: DEFAULT_GLICKO,
    });
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CORE_CLOCK } from '../../protocol/channels.js';
import { call, getGame, newGame, newUser, type User } from '../support/api.js';
import { connect, settled, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * The lobby on a real stack (two relays, lila-core on the manual clock): pool waves and who they
 * pair, pools left by a player whose lobby sockets all closed, redirects to every tab on both
 * relays, seek versions, seeks ended by games started elsewhere, and what happens to the lobby when
 * a wave meets a player leaving, a full wave meets more players, lila-core restarts or a relay dies.
 *
 * Every test uses its own pools, and leaves them empty.
 */

let stack: Stack;
let pub: Redis;
let sub: Redis;
/** An anonymous lobby socket connected before the clock first moves: it sees every pools frame. */
let observer: Client;

/** Lobby sockets keep `pools` (and leave aside `n` and `crowd`). */
const KEEP_POOLS = new Set(['crowd', 'n']);
const POOL_IDS = ['1+0', '2+1', '3+0', '3+2', '5+0', '5+3', '10+0', '10+5', '15+10', '30+0', '30+20'];

beforeAll(async () => {
  stack = await startStack({ relays: 2, env: { CLOCK: 'manual' } });
  pub = new Redis(stack.redisUrl);
  sub = new Redis(stack.redisUrl);
  observer = await lobby(null, 0);
}, 60_000);
afterAll(async () => {
  observer?.close();
  pub?.disconnect();
  sub?.disconnect();
  await stack?.stop();
});

/** Moves lila-core's clock, firing its timers; resolves once lila-core says it is done. */
async function advance(ms: number, published?: () => void): Promise<void> {
  const reply = `${CORE_CLOCK}:${randomBytes(4).toString('hex')}`;
  let onMessage: (channel: string) => void = () => undefined;
  const answered = new Promise<void>((resolve) => (onMessage = (channel) => channel === reply && resolve()));
  sub.on('message', onMessage);
  try {
    await sub.subscribe(reply);
    await pub.publish(CORE_CLOCK, JSON.stringify({ advance: ms, reply }));
    published?.();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`lila-core did not finish advancing its clock by ${ms} ms`)), 10_000);
    });
    await Promise.race([answered, late]).finally(() => clearTimeout(timer));
  } finally {
    sub.off('message', onMessage);
    await sub.unsubscribe(reply);
  }
}

async function anonymous(): Promise<User> {
  const session = await call(stack, 'POST', '/api/session', {});
  expect(session.status).toBe(201);
  return { ...(session.json.user as { id: string; name: string }), token: session.json.token as string };
}

const tokenQuery = (user: User | null) => (user ? `?token=${user.token}` : '');

/** A /lobby socket, past its first frame (the seek list). */
async function lobby(user: User | null, relay = 0): Promise<Client & { first: Frame }> {
  const client = await connect(`${stack.relayUrls[relay]}/lobby${tokenQuery(user)}`, {}, KEEP_POOLS);
  const first = await client.next();
  expect(first).toMatchObject({ t: 'seeks', v: expect.any(Number), d: expect.any(Array) });
  return Object.assign(client, { first });
}

const redirectOf = async (client: Client, timeoutMs = 10_000): Promise<string> =>
  ((await client.next((f) => f.t === 'redirect' && f.v === undefined, timeoutMs)).d as { id: string }).id;

const redirectsSeen = (client: Client): string[] =>
  client.seen.filter((f): f is Frame => (f as Frame)?.t === 'redirect').map((f) => (f.d as { id: string }).id);

async function expectNoRedirect(...clients: Client[]): Promise<void> {
  for (const client of clients) {
    await settled(client);
    expect(redirectsSeen(client)).toEqual([]);
  }
}

/** The latest pool counts the observer saw (all zeros before the first). */
function counts(): Record<string, number> {
  const frames = observer.seen.filter((f): f is Frame => (f as Frame)?.t === 'pools');
  return (frames.at(-1)?.d as Record<string, number>) ?? Object.fromEntries(POOL_IDS.map((id) => [id, 0]));
}

/**
 * Moves the clock a second at a time until the counts say `expected`. lila-core reads a player's
 * rating and name from the database before counting them, and says nothing when it is done: the
 * counts are all there is to watch, and they go out on its clock. So this is a bounded poll, paced
 * in wall time for the database's sake (the clock moves a second per try whatever the wall time).
 */
async function waitForCounts(expected: Record<string, number>): Promise<void> {
  const reached = () => Object.entries(expected).every(([id, n]) => counts()[id] === n);
  for (let i = 0; i < 40; i++) {
    await advance(1000);
    await settled(observer);
    if (reached()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pool counts never reached ${JSON.stringify(expected)}; last ${JSON.stringify(counts())}`);
}

const playersOf = async (gameId: string): Promise<string[]> => {
  const game = await getGame(stack, gameId);
  return [game.players.white.id, game.players.black.id].sort();
};

const byId = (a: string, b: string) => a.localeCompare(b);

test('two players in a pool are paired at its wave; the redirect reaches every tab of both, on both relays', async () => {
  const [alice, bob] = await Promise.all([newUser(stack, 'pa'), newUser(stack, 'pb')]);
  const a = await lobby(alice, 0);
  const b = await lobby(bob, 1);
  // More tabs: a user channel and a /site socket on the other relay, another lobby tab for bob.
  const aUser = await connect(`${stack.relayUrls[1]}/user/${alice.id}?token=${alice.token}`);
  const aSite = await connect(`${stack.relayUrls[1]}/site?token=${alice.token}`);
  const bUser = await connect(`${stack.relayUrls[0]}/user/${bob.id}?token=${bob.token}`);
  const b2 = await lobby(bob, 0);
  // Someone else's tab and an anonymous lobby socket get nothing.
  const carol = await newUser(stack, 'pc');
  const cUser = await connect(`${stack.relayUrls[0]}/user/${carol.id}?token=${carol.token}`);

  a.send({ t: 'pool-in', d: { id: '1+0' } });
  b.send({ t: 'pool-in', d: { id: '1+0' } });
  await waitForCounts({ '1+0': 2 });
  // 1+0 waves every 12 s.
  await advance(12_000);

  const game = await redirectOf(a);
  for (const tab of [aUser, aSite, b, b2, bUser]) expect(await redirectOf(tab)).toBe(game);
  expect(await playersOf(game)).toEqual([alice.id, bob.id].sort());
  expect(await getGame(stack, game)).toMatchObject({ clock: { limit: 60, increment: 0 }, status: 'started' });
  await expectNoRedirect(cUser, observer);
  // One redirect per tab, not one per room the tab is in.
  for (const tab of [a, aUser, aSite, b, b2, bUser]) {
    await settled(tab);
    expect(redirectsSeen(tab)).toEqual([game]);
  }
  await waitForCounts({ '1+0': 0 });
  [a, b, aUser, aSite, bUser, b2, cUser].forEach((s) => s.close());
});

test('of three players of one rating, one waits for the next wave, is kept while alone, then paired with a fourth', async () => {
  const players = await Promise.all([newUser(stack, 't'), newUser(stack, 't'), newUser(stack, 't')]);
  const sockets = await Promise.all(players.map((p, i) => lobby(p, i % 2)));
  sockets.forEach((s) => s.send({ t: 'pool-in', d: { id: '3+0' } }));
  await waitForCounts({ '3+0': 3 });
  // 3+0 waves every 20 s.
  await advance(20_000);

  // Two are paired, together; the wave is over once the redirects are out.
  const redirected = await Promise.all(
    sockets.map(async (s) => {
      await settled(s);
      return redirectsSeen(s);
    }),
  );
  const paired = players.filter((_, i) => redirected[i].length > 0);
  const waiting = players.filter((_, i) => redirected[i].length === 0);
  expect(paired).toHaveLength(2);
  expect(waiting).toHaveLength(1);
  const pairedGames = redirected.filter((r) => r.length > 0);
  expect(pairedGames.map((r) => r.length)).toEqual([1, 1]);
  expect(pairedGames[0]).toEqual(pairedGames[1]);
  expect(await playersOf(pairedGames[0][0])).toEqual(paired.map((p) => p.id).sort());
  await waitForCounts({ '3+0': 1 });

  // Alone, the third stays in the pool wave after wave.
  const waiter = sockets[players.indexOf(waiting[0])];
  await advance(20_000);
  await advance(20_000);
  await expectNoRedirect(waiter);
  await settled(observer);
  expect(counts()['3+0']).toBe(1);

  // A fourth comes: the next wave pairs them.
  const fourth = await newUser(stack, 't');
  const f = await lobby(fourth, 1);
  f.send({ t: 'pool-in', d: { id: '3+0' } });
  await waitForCounts({ '3+0': 2 });
  await advance(20_000);
  const game = await redirectOf(waiter);
  expect(await redirectOf(f)).toBe(game);
  expect(await playersOf(game)).toEqual([waiting[0].id, fourth.id].sort());
  await waitForCounts({ '3+0': 0 });
  [...sockets, f].forEach((s) => s.close());
});

test('ten players of one rating are all paired at one wave, in five games', async () => {
  const players = await Promise.all([...Array(10).keys()].map(() => newUser(stack, 'ten')));
  const sockets = await Promise.all(players.map((p, i) => lobby(p, i % 2)));
  sockets.forEach((s) => s.send({ t: 'pool-in', d: { id: '5+0' } }));
  await waitForCounts({ '5+0': 10 });
  // 5+0 waves every 20 s as well (up to 5 minutes' limit).
  await advance(20_000);

  const games = await Promise.all(sockets.map((s) => redirectOf(s)));
  expect(new Set(games).size).toBe(5);
  const seated: string[] = [];
  for (const game of new Set(games)) {
    const ids = await playersOf(game);
    // The two redirected to a game are its players.
    expect(ids).toEqual(
      players
        .filter((_, i) => games[i] === game)
        .map((p) => p.id)
        .sort(),
    );
    expect(await getGame(stack, game)).toMatchObject({ clock: { limit: 300, increment: 0 }, status: 'started' });
    seated.push(...ids);
  }
  expect(seated.sort()).toEqual(players.map((p) => p.id).sort());
  for (const s of sockets) {
    await settled(s);
    expect(redirectsSeen(s)).toHaveLength(1);
  }
  await waitForCounts({ '5+0': 0 });
  sockets.forEach((s) => s.close());
});

test("a lobby socket that opens gets the pools' counts and the site's figures at once, not at their next change", async () => {
  const player = await newUser(stack, 'fig');
  const waiting = await lobby(player, 0);
  waiting.send({ t: 'pool-in', d: { id: '10+5' } });
  await waitForCounts({ '10+5': 1 });

  // Nothing changes from here (lila-core's clock stands still): a socket opening now hears the
  // counts only if its join brings them.
  const fresh = await connect(`${stack.relayUrls[1]}/lobby`, {}, new Set(['crowd']));
  expect(await fresh.next()).toMatchObject({ t: 'seeks' });
  expect(await fresh.next()).toEqual({ t: 'pools', d: expect.objectContaining({ '10+5': 1 }) });
  const figures = await fresh.next();
  expect(figures).toMatchObject({ t: 'n', d: { users: expect.any(Number), games: expect.any(Number) } });
  expect((figures.d as { users: number }).users).toBeGreaterThanOrEqual(1);

  waiting.send({ t: 'pool-out', d: { id: '10+5' } });
  await waitForCounts({ '10+5': 0 });
  [waiting, fresh].forEach((s) => s.close());
});

test('a player whose lobby sockets have all closed leaves every pool; one lobby socket left is enough to stay', async () => {
  const [xavier, yann] = await Promise.all([newUser(stack, 'x'), newUser(stack, 'y')]);
  const x1 = await lobby(xavier, 0);
  const x2 = await lobby(xavier, 1);
  const xSite = await connect(`${stack.relayUrls[0]}/site?token=${xavier.token}`);
  const y = await lobby(yann, 1);
  x1.send({ t: 'pool-in', d: { id: '10+0' } });
  x2.send({ t: 'pool-in', d: { id: '10+5' } });
  y.send({ t: 'pool-in', d: { id: '10+0' } });
  await waitForCounts({ '10+0': 2, '10+5': 1 });

  // One of xavier's lobby sockets closes: he stays in both pools.
  x1.close();
  await x1.closed;
  // lila-core takes a relay's messages in order: once a later join on that relay is answered, it had the leave.
  (await lobby(null, 0)).close();
  await advance(1000);
  await settled(observer);
  expect(counts()).toMatchObject({ '10+0': 2, '10+5': 1 });

  // The other closes too (a /site socket does not count): he leaves both pools at once.
  x2.close();
  await x2.closed;
  await waitForCounts({ '10+0': 1, '10+5': 0 });
  // The wave (10+0: every 30 s) has nobody to pair yann with.
  await advance(30_000);
  await expectNoRedirect(y, xSite);
  await settled(observer);
  expect(counts()['10+0']).toBe(1);

  y.send({ t: 'pool-out', d: { id: '10+0' } });
  await waitForCounts({ '10+0': 0 });
  [xSite, y].forEach((s) => s.close());
});

test('seek events carry contiguous versions, the same on every lobby socket of both relays', async () => {
  const [ann, ben] = await Promise.all([newUser(stack, 'va'), newUser(stack, 'vb')]);
  const a = await lobby(ann, 0);
  const b = await lobby(ben, 1);
  const watcher = await lobby(null, 1);
  const seekAdded = async (client: Client, owner: User) =>
    (await client.next((f) => f.t === 'seekAdd' && (f.d as { user: { id: string } }).user.id === owner.id)).d as {
      id: string;
    };

  a.send({ t: 'seek', d: { clock: { limit: 300, increment: 0 } } });
  const s1 = await seekAdded(a, ann);
  a.send({ t: 'seek', d: { clock: { limit: 600, increment: 5 }, color: 'black' } });
  const s2 = await seekAdded(a, ann);
  b.send({ t: 'seek', d: { clock: { limit: 60, increment: 0 } } });
  const s3 = await seekAdded(b, ben);
  a.send({ t: 'seek-cancel', d: { id: s1.id } });
  await a.next((f) => f.t === 'seekRemove');
  // Ben accepts s2: it goes, and so does ben's own seek s3, since he now plays.
  b.send({ t: 'seek-accept', d: { id: s2.id } });
  const game = await redirectOf(a);
  expect(await redirectOf(b)).toBe(game);
  expect(await getGame(stack, game)).toMatchObject({
    players: { white: { id: ben.id }, black: { id: ann.id } },
    clock: { limit: 600, increment: 5 },
  });

  const lobbyEvents = (client: Client) =>
    client.seen.filter((f): f is Frame => ['seeks', 'seekAdd', 'seekRemove'].includes(String((f as Frame)?.t)));
  for (const client of [a, b, watcher]) await settled(client);
  const flows = [a, b, watcher].map((client) =>
    lobbyEvents(client).map((f) => [f.t, f.v, f.t === 'seeks' ? undefined : (f.d as { id: string }).id]),
  );
  const v0 = flows[0][0][1] as number;
  const expected = [
    ['seekAdd', s1.id],
    ['seekAdd', s2.id],
    ['seekAdd', s3.id],
    ['seekRemove', s1.id],
    ['seekRemove', s2.id],
    ['seekRemove', s3.id],
  ].map(([t, id], i) => [t, v0 + 1 + i, id]);
  expect(flows[0]).toEqual([['seeks', v0, undefined], ...expected]);
  // Sockets opened at the same version see the same flow.
  for (const flow of flows.slice(1)) expect(flow).toEqual(flows[0]);
  [a, b, watcher].forEach((s) => s.close());
});

test('a seek dies when its owner starts a game by a challenge', async () => {
  const [cleo, dan] = await Promise.all([newUser(stack, 'ca'), newUser(stack, 'cb')]);
  const c = await lobby(cleo, 0);
  const watcher = await lobby(null, 1);
  c.send({ t: 'seek', d: { clock: { limit: 180, increment: 2 } } });
  const seek = (await watcher.next((f) => f.t === 'seekAdd')).d as { id: string };
  const game = await newGame(stack, cleo, dan);
  expect(await watcher.next((f) => f.t === 'seekRemove')).toMatchObject({ d: { id: seek.id } });
  expect(await redirectOf(c)).toBe(game);
  [c, watcher].forEach((s) => s.close());
});

test('six seeks sent at once: five are listed, the sixth refused', async () => {
  const eve = await newUser(stack, 'six');
  const e = await lobby(eve, 0);
  for (let i = 0; i < 6; i++) e.send({ t: 'seek', d: { clock: { limit: 60 * (i + 1), increment: 0 } } });
  const answers: Frame[] = [];
  for (let i = 0; i < 6; i++) answers.push(await e.next((f) => f.t === 'seekAdd' || f.t === 'error'));
  const added = answers.filter((f) => f.t === 'seekAdd').map((f) => (f.d as { id: string }).id);
  // Cleanup first (the lobby is left empty), then the verdict.
  for (const id of added) e.send({ t: 'seek-cancel', d: { id } });
  for (const id of added) expect(await e.next((f) => f.t === 'seekRemove')).toMatchObject({ d: { id } });
  e.close();
  expect(answers.filter((f) => f.t === 'error')).toEqual([
    { t: 'error', d: { code: 'not_allowed_now', message: 'at most 5 seeks at a time' } },
  ]);
  expect(added).toHaveLength(5);
});

test('a player leaving the pool while its wave creates the games: every other pair still gets its game', async () => {
  const players = await Promise.all([...Array(16).keys()].map(() => newUser(stack, 'lv')));
  const sockets = await Promise.all(players.map((p, i) => lobby(p, i % 2)));
  sockets.forEach((s) => s.send({ t: 'pool-in', d: { id: '2+1' } }));
  await waitForCounts({ '2+1': 16 });
  // All rated alike, they are paired in the order of their ids, one game after another: the leaver
  // is in the sixth pair of eight, whose game comes after five others are written.
  const leaverId = players.map((p) => p.id).sort(byId)[11];
  const leaver = sockets[players.findIndex((p) => p.id === leaverId)];
  // 2+1 waves every 12 s: the pool-out reaches lila-core while the wave writes the first games.
  await advance(12_000, () => leaver.send({ t: 'pool-out', d: { id: '2+1' } }));
  // And the next wave, for anyone the first one left waiting.
  await advance(12_000);
  const others = sockets.filter((s) => s !== leaver);
  await Promise.all(others.map((s) => settled(s)));
  const redirected = others.map((s) => redirectsSeen(s).length);
  sockets.forEach((s) => s.close());
  await waitForCounts({ '2+1': 0 });
  // Nobody has two games; of the fifteen others, only the leaver's partner may be without one.
  expect(redirected.filter((n) => n > 1)).toEqual([]);
  expect(redirected.filter((n) => n === 1).length).toBeGreaterThanOrEqual(14);
}, 60_000);

test('after a lila-core restart, a new lobby socket gets the new list and no events of the lila-core before; versions never go back', async () => {
  const fay = await newUser(stack, 'rs');
  const f = await lobby(fay, 0);
  // The relay keeps the lobby's last 20 events while a lobby socket is open there: more than that.
  let lastV = 0;
  for (let i = 0; i < 11; i++) {
    f.send({ t: 'seek', d: { clock: { limit: 300, increment: 0 } } });
    const added = await f.next((fr) => fr.t === 'seekAdd');
    f.send({ t: 'seek-cancel', d: { id: (added.d as { id: string }).id } });
    lastV = (await f.next((fr) => fr.t === 'seekRemove')).v!;
  }

  await stack.core.stop('SIGKILL');
  await stack.startCore();

  // A new lobby socket on the relay that kept the former lila-core's events.
  const late = await lobby(null, 0).then(
    async (client) => {
      await settled(client);
      client.close();
      return {
        first: client.first,
        stale: client.pending().filter((fr) => fr.t === 'seekAdd' || fr.t === 'seekRemove'),
      };
    },
    (err: Error) => ({ refused: err.message }),
  );
  // A seek after the restart (its events also end whatever the relay kept from before).
  f.send({ t: 'seek', d: { clock: { limit: 300, increment: 0 } } });
  const added = await f.next((fr) => fr.t === 'seekAdd');
  f.send({ t: 'seek-cancel', d: { id: (added.d as { id: string }).id } });
  await f.next((fr) => fr.t === 'seekRemove');
  f.close();

  // The socket that stayed open saw version lastV: a later event must not come with a lower one.
  expect({ late, versionAfterRestart: added.v! > lastV ? 'higher' : `${added.v}, after ${lastV}` }).toEqual({
    late: { first: { t: 'seeks', v: expect.any(Number), d: [] }, stale: [] },
    versionAfterRestart: 'higher',
  });
}, 60_000);

test('a user whose only lobby socket was on a relay that died loses their seek and their pool place', async () => {
  const gus = await newUser(stack, 'dead');
  const g = await lobby(gus, 1);
  const watcher = await lobby(null, 0);
  g.send({ t: 'seek', d: { clock: { limit: 900, increment: 10 } } });
  const seek = (await watcher.next((f) => f.t === 'seekAdd')).d as { id: string };
  g.send({ t: 'pool-in', d: { id: '30+0' } });
  await waitForCounts({ '30+0': 1 });

  await stack.relays[1].stop('SIGKILL');
  // lila-core presumes a relay dead after 10 s of silence (wall time); a seek then has 5 s (its clock).
  const gone = () =>
    watcher.seen.some((f) => (f as Frame)?.t === 'seekRemove' && ((f as Frame).d as { id: string }).id === seek.id) &&
    counts()['30+0'] === 0;
  const deadline = Date.now() + 25_000;
  while (!gone() && Date.now() < deadline) {
    await advance(1000);
    await Promise.all([settled(watcher), settled(observer)]);
    if (!gone()) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  watcher.close();
  expect({
    seekRemoved: gone() || watcher.seen.some((f) => (f as Frame)?.t === 'seekRemove'),
    pool: counts()['30+0'],
  }).toEqual({
    seekRemoved: true,
    pool: 0,
  });
}, 60_000);

test('twenty players waiting make a wave at once; two more arriving meanwhile are never paired twice', async () => {
  const players = await Promise.all([...Array(22).keys()].map(() => anonymous()));
  const sockets = await Promise.all(players.map((p) => lobby(p, 0)));
  sockets.forEach((s) => s.send({ t: 'pool-in', d: { id: '15+10' } }));
  // No clock moves: twenty are enough for a wave.
  const firstGames = await Promise.all(
    sockets.map((s) =>
      redirectOf(s, 10_000).then(
        (id) => id,
        () => undefined,
      ),
    ),
  );
  await Promise.all(sockets.map((s) => settled(s)));
  const perPlayer = sockets.map((s) => redirectsSeen(s));
  // Nobody is sent to two games.
  expect(perPlayer.filter((r) => r.length > 1)).toEqual([]);
  expect(firstGames.filter(Boolean).length).toBeGreaterThanOrEqual(20);
  const games = new Set(perPlayer.flat());
  for (const game of games) {
    const ids = await playersOf(game);
    expect(ids).toEqual(
      players
        .filter((_, i) => perPlayer[i].includes(game))
        .map((p) => p.id)
        .sort(),
    );
  }
  // lila-core is still there.
  expect(stack.core.process.exitCode).toBeNull();
  expect((await call(stack, 'GET', '/health')).status).toBe(200);
  sockets.forEach((s) => s.close());
}, 60_000);

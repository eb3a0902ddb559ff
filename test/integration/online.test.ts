import { call, newGame, newUser, type User } from '../support/api.js';
import { connect, settled, type Client, type Frame } from '../support/client.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Who is online, across two relays, on the system clock: what `GET /api/users/status` says as users
 * come and go on either relay, whether they play, the relays' batched reports (≤ 5 s to go
 * offline, nothing said on a quick reconnect), the `n` figures, a relay killed (its users forgotten
 * after 10 s of silence) and a lila-core restarted (it asks the relays again: `sync`).
 *
 * The tests run in order on one stack: the first counts every user online, so it comes first.
 */

let stack: Stack;
const open: Client[] = [];
beforeAll(async () => {
  stack = await startStack({ relays: 2 });
}, 60_000);
afterAll(async () => {
  open.forEach((s) => s.close());
  await stack?.stop();
});

type Status = { id: string; online: boolean; playing: boolean };

async function statusOf(...users: User[]): Promise<Status[]> {
  const res = await call(stack, 'GET', `/api/users/status?ids=${users.map((u) => u.id).join(',')}`);
  expect(res.status).toBe(200);
  return res.json as unknown as Status[];
}

const onlineOf = async (...users: User[]) => (await statusOf(...users)).map((s) => s.online);

/** Polls the status every 100 ms until `done`, for at most `withinMs`; returns how long it took. */
async function until(what: string, done: () => Promise<boolean>, withinMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await done()) return Date.now() - start;
    if (Date.now() - start > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls for `forMs` and fails the first time `holds` does not. */
async function throughout(what: string, holds: () => Promise<boolean>, forMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < forMs) {
    if (!(await holds())) throw new Error(`${what}: broken after ${Date.now() - start} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A socket of `user` (or anonymous) on relay `relay`, closed after the tests if still open. */
async function socket(path: string, user: User | null, relay: number, ignore?: Set<string>): Promise<Client> {
  const url = `${stack.relayUrls[relay]}${path}${user ? `?token=${user.token}` : ''}`;
  const client = await connect(url, {}, ignore);
  open.push(client);
  return client;
}

async function close(client: Client): Promise<void> {
  client.close();
  await client.closed;
}

const sameFrame = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function resign(user: User, gameId: string): Promise<void> {
  const play = await socket(`/play/${gameId}`, user, 0);
  await play.next((f) => f.t === 'state');
  play.send({ t: 'resign' });
  expect(await play.next((f) => f.t === 'end')).toMatchObject({ d: { status: 'resign' } });
  await close(play);
}

test('`n` frames on /lobby and /site count the users online on every relay and the games in progress, each change once', async () => {
  // Anonymous observers, counted nowhere; they keep `n` (and leave aside crowd and pools).
  const lobby = await socket('/lobby', null, 0, new Set(['crowd', 'pools']));
  expect(await lobby.next()).toMatchObject({ t: 'seeks' });
  const site = await socket('/site', null, 1, new Set(['crowd', 'pools']));
  const figures = (users: number, games: number) => (f: Frame) => f.t === 'n' && sameFrame(f.d, { users, games });

  const [ana, bo] = await Promise.all([newUser(stack, 'na'), newUser(stack, 'nb')]);
  const a = await socket('/site', ana, 0);
  await socket('/user/' + bo.id, bo, 1);
  for (const s of [lobby, site]) await s.next(figures(2, 0), 5000);

  const game = await newGame(stack, ana, bo);
  for (const s of [lobby, site]) await s.next(figures(2, 1), 5000);
  await resign(ana, game);
  for (const s of [lobby, site]) await s.next(figures(2, 0), 5000);

  // Ana leaves: gone after the relay's next batch (5 s), then the next figures (1 s).
  await close(a);
  for (const s of [lobby, site]) await s.next(figures(1, 0), 10_000);

  // Each change came once, in order, never twice in a row (a lobby socket is in `lobby` and `site`).
  for (const s of [lobby, site]) {
    await settled(s);
    const ns = s.seen.filter((f): f is Frame => (f as Frame)?.t === 'n').map((f) => f.d);
    expect(ns.filter((d, i) => i > 0 && sameFrame(d, ns[i - 1]))).toEqual([]);
  }
  await Promise.all([lobby, site].map(close));
}, 30_000);

test('GET /api/users/status: online on either relay, never-seen users offline; ids normalised, bounded', async () => {
  const [cy, di, ed] = await Promise.all([newUser(stack, 'sc'), newUser(stack, 'sd'), newUser(stack, 'se')]);
  await socket('/site', cy, 0);
  await socket('/lobby', di, 1);
  await until('both online', async () => sameFrame(await onlineOf(cy, di), [true, true]), 3000);
  expect(await statusOf(cy, di, ed)).toEqual([
    { id: cy.id, online: true, playing: false },
    { id: di.id, online: true, playing: false },
    { id: ed.id, online: false, playing: false },
  ]);
  // Ids as typed: case, spaces and repeats do not matter; the order is kept.
  const typed = await call(stack, 'GET', `/api/users/status?ids=${di.id.toUpperCase()},%20${cy.id},${di.id},nobody`);
  expect(typed.status).toBe(200);
  expect(typed.json).toEqual([
    { id: di.id, online: true, playing: false },
    { id: cy.id, online: true, playing: false },
    { id: 'nobody', online: false, playing: false },
  ]);
  for (const query of ['', '?ids=', '?ids=,,', `?ids=${[...Array(101).keys()].map((i) => `u${i}`).join(',')}`]) {
    const res = await call(stack, 'GET', `/api/users/status${query}`);
    expect([query, res.status]).toEqual([query, 400]);
  }
  const hundred = await call(
    stack,
    'GET',
    `/api/users/status?ids=${[...Array(100).keys()].map((i) => `u${i}`).join(',')}`,
  );
  expect(hundred.status).toBe(200);
  expect(hundred.json).toHaveLength(100);
});

test('`playing` is true for both players while their game is in progress, and only then', async () => {
  const [fa, gi, ho] = await Promise.all([newUser(stack, 'pf'), newUser(stack, 'pg'), newUser(stack, 'ph')]);
  const game = await newGame(stack, fa, gi);
  // Playing whether or not they are connected.
  expect((await statusOf(fa, gi, ho)).map((s) => s.playing)).toEqual([true, true, false]);
  await resign(gi, game);
  expect((await statusOf(fa, gi, ho)).map((s) => s.playing)).toEqual([false, false, false]);
});

test('a user whose last socket closed goes offline after the relay batch; one socket left anywhere keeps them online', async () => {
  const iv = await newUser(stack, 'off');
  const here = await socket('/lobby', iv, 0);
  const there = await socket('/site', iv, 1);
  await until('online', async () => (await onlineOf(iv))[0], 3000);

  // One of two relays loses them: the other still has them.
  await close(here);
  await throughout('online with a socket on the other relay', async () => (await onlineOf(iv))[0], 6000);

  await close(there);
  const took = await until('offline', async () => !(await onlineOf(iv))[0], 8000);
  // Reported in the relay's next batch: at most 5 s, plus the time to reach lila-core.
  expect(took).toBeLessThan(6500);
}, 30_000);

test('a quick reconnect says nothing: the user stays online', async () => {
  const jo = await newUser(stack, 'rc');
  const first = await socket('/site', jo, 0);
  await until('online', async () => (await onlineOf(jo))[0], 3000);
  await close(first);
  await socket('/lobby', jo, 0);
  await throughout('online across a reconnect', async () => (await onlineOf(jo))[0], 6000);
}, 20_000);

test('a restarted lila-core learns who is online on every relay again (sync), and who plays', async () => {
  const [ka, lu, mo, ny] = await Promise.all(['ka', 'lu', 'mo', 'ny'].map((p) => newUser(stack, p)));
  await socket('/site', ka, 0);
  await socket('/site', lu, 1);
  const leaving = await socket('/site', mo, 0);
  const game = await newGame(stack, ka, lu);
  await until('three online', async () => sameFrame(await onlineOf(ka, lu, mo), [true, true, true]), 3000);

  await stack.core.stop('SIGKILL');
  // While lila-core is away, mo leaves and ny comes (a /site socket needs no lila-core).
  await close(leaving);
  await socket('/site', ny, 1);
  await stack.startCore();

  const took = await until(
    'online again after the restart',
    async () => sameFrame(await onlineOf(ka, lu, mo, ny), [true, true, false, true]),
    5000,
  );
  // README: "a restarted lila-core knows everyone again within a second" (relays tick every second).
  expect(took).toBeLessThan(2500);
  expect((await statusOf(ka, lu)).map((s) => s.playing)).toEqual([true, true]);
  await resign(ka, game);
}, 30_000);

test('a relay killed with SIGKILL: its users go offline once it has been silent 10 s, users also on the other relay stay', async () => {
  const [ob, pi] = await Promise.all([newUser(stack, 'ob'), newUser(stack, 'pi')]);
  await socket('/site', ob, 1);
  await socket('/site', pi, 1);
  await socket('/lobby', pi, 0);
  await until('both online', async () => sameFrame(await onlineOf(ob, pi), [true, true]), 3000);

  const killed = Date.now();
  await stack.relays[1].stop('SIGKILL');
  await until('offline after the relay died', async () => !(await onlineOf(ob))[0], 20_000);
  const after = Date.now() - killed;
  // Not before the relay's silence (10 s since its last tick, at most 1 s before it died).
  expect(after).toBeGreaterThanOrEqual(8500);
  expect(after).toBeLessThan(15_000);
  expect(await onlineOf(pi)).toEqual([true]);
}, 40_000);

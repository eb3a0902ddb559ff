import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { call, newUser, type User } from '../support/api.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { advanceCore } from '../support/core-clock.js';

/**
 * An arena on the whole stack (two relays, lila-core on the manual clock): six bots join and open
 * the tournament page, are paired at once (the first pairing), play quick games (fool's mate, a
 * draw agreed after 20 plies, a draw agreed at once), then a second round in which nobody meets
 * their last opponent, played across a lila-core restart (SIGKILL) with a berserk win; the
 * standings and sheets come out as lichess's rules say.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 2, env: { CLOCK: 'manual' } });
}, 60_000);
afterAll(() => stack?.stop());

const FOOLS_MATE = ['f2f3', 'e7e5', 'g2g4', 'd8h4'];
/** 20 plies of development, no repetition: a draw agreed here scores 1. */
const QUIET_20 = 'e2e4 e7e5 g1f3 b8c6 f1c4 f8c5 d2d3 d7d6 b1c3 g8f6 e1g1 e8g8 h2h3 h7h6 a2a3 a7a6 c1e3 c8e6 f1e1 f8e8';

type Seat = { user: User; play: Client };
type Table = { id: string; white: Seat; black: Seat };

const advance = (ms: number) => advanceCore(stack.redisUrl, ms);
const sockets: Client[] = [];
const open = async (path: string, user: User, relay: number) => {
  const client = await connect(`${stack.relayUrls[relay % 2]}${path}?token=${user.token}`);
  sockets.push(client);
  return client;
};
afterAll(() => sockets.forEach((s) => s.close()));

/** Plays `ucis` alternately, each move acknowledged before the next. */
async function play(table: Table, ucis: string[], first = 0) {
  for (const [i, u] of ucis.entries()) {
    const seat = (first + i) % 2 ? table.black : table.white;
    const a = first + i + 1;
    seat.play.send({ t: 'move', d: { u, a } });
    await seat.play.next((f) => f.t === 'ack' && f.d === a);
  }
}
const both = (table: Table, t: string) =>
  Promise.all([table.white, table.black].map((s) => s.play.next((f) => f.t === t)));

/** The tables of a round: each player hears `redirect` on the tournament page, then opens the game. */
async function tables(pages: Map<string, Client>, users: User[], relayOf: (i: number) => number): Promise<Table[]> {
  const gameOf = new Map<string, string>();
  for (const u of users) {
    const redirect = await pages.get(u.id)!.next<{ d: { id: string } }>((f) => f.t === 'redirect');
    gameOf.set(u.id, redirect.d.id);
  }
  const found = new Map<string, Table>();
  for (const [i, u] of users.entries()) {
    const id = gameOf.get(u.id)!;
    const play = await open(`/play/${id}`, u, relayOf(i));
    const state = await play.next<{ d: { players: { white: { id: string } }; tournament: string } }>(
      (f) => f.t === 'state',
    );
    const seat = { user: u, play };
    const table = found.get(id) ?? ({ id } as Table);
    table[state.d.players.white.id === u.id ? 'white' : 'black'] = seat;
    found.set(id, table);
  }
  return [...found.values()];
}

test('six bots: paired, fool’s mate and draws, a second round across a restart, standings and sheets', async () => {
  const users = await Promise.all([0, 1, 2, 3, 4, 5].map(() => newUser(stack, 'arena')));
  const body = { name: 'Six bots', clock: { limit: 180, increment: 0 }, minutes: 30, berserkable: true, streaks: true };
  const created = await call(stack, 'POST', '/api/tournament', body, users[0].token);
  expect(created.status).toBe(201);
  const id = created.json.tournament.id as string;
  expect(created.json.tournament).toMatchObject({ status: 'started', nbPlayers: 0, clock: body.clock });
  expect((await call(stack, 'GET', '/api/tournament')).json.tournaments).toContainEqual(
    expect.objectContaining({ id }),
  );

  const pages = new Map<string, Client>();
  for (const [i, u] of users.entries()) {
    const page = await open(`/tournament/${id}`, u, i);
    expect(await page.next()).toMatchObject({ t: 'reload', v: expect.any(Number) });
    pages.set(u.id, page);
    expect((await call(stack, 'POST', `/api/tournament/${id}/join`, {}, u.token)).status).toBe(200);
  }
  expect((await call(stack, 'GET', `/api/tournament/${id}`)).json.nbPlayers).toBe(6);

  // The first pass pairs everyone at once: rank neighbours, colours at random.
  await advance(1_000);
  const round1 = await tables(pages, users, (i) => i + 1);
  expect(round1).toHaveLength(3);
  const [mate, quiet, short] = round1 as [Table, Table, Table];
  await play(mate, FOOLS_MATE);
  await play(quiet, QUIET_20.split(' '));
  for (const [table, first] of [
    [quiet, 20],
    [short, 0],
  ] as const) {
    if (first === 0) await play(table, ['e2e4', 'e7e5']);
    table.white.play.send({ t: 'draw-yes' });
    await table.black.play.next((f) => f.t === 'drawOffer');
    table.black.play.send({ t: 'draw-yes' });
    await both(table, 'end');
  }
  await advance(1_000);

  const standings = async () => {
    await advance(1_000); // past the standings' one-second cache
    const res = await call(stack, 'GET', `/api/tournament/${id}`);
    expect(res.status).toBe(200);
    return new Map((res.json.standing.players as Frame[]).map((p) => [p.id as string, p]));
  };
  let s = await standings();
  expect(s.get(mate.black.user.id)).toMatchObject({ score: 2, fire: false, sheet: [{ g: mate.id, r: 'win', p: 2 }] });
  expect(s.get(mate.white.user.id)).toMatchObject({ score: 0, sheet: [{ r: 'loss', p: 0 }] });
  for (const seat of [quiet.white, quiet.black])
    expect(s.get(seat.user.id)).toMatchObject({ score: 1, sheet: [{ r: 'draw', p: 1 }] });
  for (const seat of [short.white, short.black])
    expect(s.get(seat.user.id)).toMatchObject({ score: 0, sheet: [{ r: 'draw', p: 0 }] });
  const page1 = (await call(stack, 'GET', `/api/tournament/${id}?page=1`)).json.standing.players as Frame[];
  expect(page1[0].id).toBe(mate.black.user.id);
  expect(
    page1
      .slice(1, 3)
      .map((p) => p.id)
      .sort(),
  ).toEqual([quiet.white.user.id, quiet.black.user.id].sort());

  // Round 2, once two have waited 24 s (3+0): never the last opponent again.
  await advance(25_000);
  const round2 = await tables(pages, users, (i) => i);
  const met = new Set(round1.map((t) => [t.white.user.id, t.black.user.id].sort().join()));
  for (const t of round2) expect(met.has([t.white.user.id, t.black.user.id].sort().join())).toBe(false);

  // lila-core dies mid-round and comes back: pairings, scores and the games go on.
  await stack.core.stop('SIGKILL');
  await stack.startCore();
  const [first, ...rest] = round2 as [Table, ...Table[]];
  first.black.play.send({ t: 'berserk' });
  expect(await first.white.play.next((f) => f.t === 'berserk')).toMatchObject({
    d: { color: 'black', clock: { black: 90 } },
  });
  await play(first, FOOLS_MATE);
  for (const t of rest) {
    t.white.play.send({ t: 'resign' });
    await both(t, 'end');
  }
  await advance(1_000);
  s = await standings();
  // Fool's mate in 4 plies: berserk, but under 14 plies, so no bonus.
  expect(s.get(first.black.user.id)).toMatchObject({ sheet: [{}, { g: first.id, r: 'win', p: 2, berserk: true }] });
  for (const t of rest) expect(s.get(t.black.user.id)!.sheet).toHaveLength(2);
  const all = [...s.values()];
  expect(all).toHaveLength(6);
  for (const p of all) expect(p.score).toBe((p.sheet as { p: number }[]).reduce((a, e) => a + e.p, 0));
  const twoWins = all.filter((p) => (p.sheet as { r: string }[]).every((e) => e.r === 'win'));
  for (const p of twoWins) expect(p).toMatchObject({ score: 4, fire: true });
}, 120_000);

import type { Page } from 'playwright-core';
import { call, newUser, type User } from '../support/api.js';
import { connect, type Client, type Frame } from '../support/client.js';
import { waitForPlies } from './game-support.js';
import { signUp, startWeb, type Web } from './support.js';

/**
 * An arena's next pairing, in real Chromium: a player (the browser) and three bots (sockets) join;
 * the player's game ends by their resignation, the other table's too, and lila-core pairs everyone
 * again (never the last opponent, so at least four players). The player stays on the finished game,
 * which links back to its arena, and its page goes to the next game by itself: the `redirect` on the
 * user's channel, which the `/play` socket is in, as lichess follows it.
 */
let web: Web;
const sockets: Client[] = [];
beforeAll(async () => {
  web = await startWeb({ relays: 1 });
}, 60_000);
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await web?.stop();
});

/** 20 + 0: lila-core pairs again once two players have waited 8 s (tournament/waiting.ts). */
const CLOCK = { limit: 20, increment: 0 };
/** Pairings wait for players and passes, on a loaded machine: long waits, never assertions of time. */
const PAIRING_WAIT_MS = 90_000;

type GameSeen = { tournament?: string; players: Record<'white' | 'black', { id: string; name: string }> };
type Bot = { user: User; page: Client };
type Seat = { user: User; play: Client; color: 'white' | 'black' };

const gameOf = async (id: string): Promise<GameSeen> =>
  (await call(web.stack, 'GET', `/api/game/${id}`)).json as unknown as GameSeen;

const open = async (path: string, user: User): Promise<Client> => {
  const client = await connect(`${web.stack.relayUrls[0]}${path}?token=${user.token}`);
  sockets.push(client);
  return client;
};

/** The game a page shows once it went to one other than `from`. */
async function gameOfPage(page: Page, from?: string): Promise<string> {
  await page.waitForURL((url) => /^\/[A-Za-z0-9]{8}$/.test(url.pathname) && url.pathname !== `/${from}`, {
    timeout: PAIRING_WAIT_MS,
  });
  return new URL(page.url()).pathname.slice(1);
}

/** A bot's seat in the game its tournament page was sent to: the game's socket, open from now on. */
async function seatOf(bot: Bot): Promise<{ game: string; seat: Seat }> {
  const redirect = await bot.page.next<{ d: { id: string } }>((f) => f.t === 'redirect', PAIRING_WAIT_MS);
  const play = await open(`/play/${redirect.d.id}`, bot.user);
  const state = await play.next<{ d: GameSeen }>((f) => f.t === 'state');
  const color = state.d.players.white.id === bot.user.id ? 'white' : 'black';
  return { game: redirect.d.id, seat: { user: bot.user, play, color } };
}

/** One move from a bot's seat, once the opponent's move before it (if any) has come. */
async function botMove(seat: Seat, uci: string, ply: number): Promise<void> {
  if (ply > 1) await seat.play.next((f: Frame) => f.t === 'move' && (f.d as { ply: number }).ply === ply - 1, 30_000);
  seat.play.send({ t: 'move', d: { u: uci, a: 1 } });
  await seat.play.next((f) => f.t === 'ack' && f.d === 1);
}

/** Types move number `ply` (from 0) once the page shows the moves before it: typed earlier, it is not the player's turn yet there. */
async function typeMove(page: Page, ply: number, san: string): Promise<void> {
  await waitForPlies(page, ply);
  await page.getByLabel('move input').fill(san);
  await page.getByLabel('move input').press('Enter');
}

const arenaLink = (page: Page) => page.getByRole('link', { name: 'Back to tournament' });

test("a player's arena game ends by resignation: the page links to the arena and goes to the next pairing by itself", async () => {
  const users: User[] = [];
  for (const prefix of ['nx', 'ny', 'nz']) users.push(await newUser(web.stack, prefix));
  const body = { name: 'Next pairing', clock: CLOCK, minutes: 10, startsInSeconds: 0 };
  const created = await call(web.stack, 'POST', '/api/tournament', body, users[0].token);
  expect(created.status).toBe(201);
  const id = created.json.tournament.id as string;

  // The player joins from the arena's page; the bots open it too and join.
  const player = await web.open('/');
  const name = await signUp(player, 'np');
  await player.goto(`/tournament/${id}`);
  await player.getByRole('button', { name: 'Join', exact: true }).click();
  const bots: Bot[] = [];
  for (const user of users) {
    bots.push({ user, page: await open(`/tournament/${id}`, user) });
    expect((await call(web.stack, 'POST', `/api/tournament/${id}/join`, {}, user.token)).status).toBe(200);
  }

  // Two tables: the player's page goes to theirs (as the arena's page does), each bot to its own.
  const first = await gameOfPage(player);
  const seats = await Promise.all(bots.map(seatOf));
  const opponent = seats.find((s) => s.game === first)!.seat;
  const others = seats.filter((s) => s.game !== first).map((s) => s.seat);
  expect(others).toHaveLength(2);
  expect((await gameOf(first)).tournament).toBe(id);

  // The other table: 1. e4 e5, and White resigns.
  const [otherWhite, otherBlack] = others[0].color === 'white' ? others : [others[1], others[0]];
  await botMove(otherWhite, 'e2e4', 1);
  await botMove(otherBlack, 'e7e5', 2);
  otherWhite.play.send({ t: 'resign' });
  await otherBlack.play.next((f) => f.t === 'end');

  // The player's table: 1. e4 e5 (the player's move typed, the bot's sent), and the player resigns.
  if (opponent.color === 'black') {
    await typeMove(player, 0, 'e4');
    await botMove(opponent, 'e7e5', 2);
  } else {
    await botMove(opponent, 'e2e4', 1);
    await typeMove(player, 1, 'e5');
  }
  await player.getByRole('button', { name: 'Resign' }).waitFor();
  player.once('dialog', (dialog) => void dialog.accept());
  await player.getByRole('button', { name: 'Resign' }).click();
  await player
    .getByRole('status')
    .getByText(/resigned/)
    .waitFor();

  // The finished game links back to its arena; the player stays on it and is taken to the next one.
  expect(await arenaLink(player).getAttribute('href')).toBe(`/tournament/${id}`);
  const next = await gameOfPage(player, first);
  const game = await gameOf(next);
  expect(game.tournament).toBe(id);
  const names = [game.players.white.name, game.players.black.name];
  expect(names).toContain(name);
  // Never the last opponent again: one of the other table.
  expect(names).not.toContain(opponent.user.name);
  // The next game's page is the player's (moves allowed), and links to the arena too.
  await player.getByLabel('move input').waitFor();
  expect(await arenaLink(player).getAttribute('href')).toBe(`/tournament/${id}`);
}, 240_000);

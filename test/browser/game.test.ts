import type { Page } from 'playwright-core';
import { getGame, newGame } from '../support/api.js';
import { OPERA_GAME, sanLine } from '../support/chess.js';
import { clickSquare, sansOf, userOf, waitForPlies } from './game-support.js';
import { signUp, startWeb, type Web } from './support.js';

/**
 * The game page in real Chromium behind nginx and two relays: two signed-in players play a whole
 * game to mate by clicking squares (and typing some moves) while a spectator on a phone-sized
 * page watches. Meanwhile a relay is sent SIGTERM and the white player's network is cut for 5 s
 * with a move made during the cut: the pages carry on without a reload, and every move is played
 * exactly once and seen by all three.
 */
const { ucis } = sanLine(OPERA_GAME);
/** Plies typed in the move box rather than clicked: SAN, UCI, a capture, castling. */
const TYPED: Record<number, string> = { 1: 'e5', 4: 'd2d4', 9: 'dxe5', 22: 'O-O-O' };
const RELAY_STOPPED_BEFORE = 12;
const OFFLINE_AT = 20;

let web: Web;
beforeAll(async () => {
  web = await startWeb({ relays: 2 });
}, 90_000);
afterAll(() => web?.stop());

/** Castling is the king's two squares on the board (chessops writes it king-to-rook in UCI). */
const squares = (uci: string): [string, string] =>
  uci === 'e1a1' ? ['e1', 'c1'] : uci === 'e1h1' ? ['e1', 'g1'] : [uci.slice(0, 2), uci.slice(2, 4)];

async function play(page: Page, ply: number): Promise<void> {
  const typed = TYPED[ply];
  if (typed) {
    await page.getByLabel('move input').fill(typed);
    await page.getByLabel('move input').press('Enter');
  } else {
    const [orig, dest] = squares(ucis[ply]);
    await clickSquare(page, orig);
    await clickSquare(page, dest);
  }
}

const clockText = (page: Page, color: string) => page.getByLabel(`${color} clock`).textContent();

test('a game to mate, clicked and typed, watched, through a relay drain and a network cut', async () => {
  // Two people sign up, each in a browser of their own; the game is made through the API with their cookies.
  const [white, black] = [await web.open('/'), await web.open('/')];
  const alice = await userOf(white, await signUp(white, 'gw'));
  const bob = await userOf(black, await signUp(black, 'gb'));
  const gameId = await newGame(web.stack, alice, bob, { limit: 600, increment: 0 });
  await Promise.all([white.goto(`/${gameId}`), black.goto(`/${gameId}`)]);
  const watcher = await web.open(`/${gameId}`, { phone: true });
  const pages = [white, black, watcher];
  // Set once: a reload would lose it.
  for (const page of pages) await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

  // Each board is drawn once the page has read the game: wait for it, then check there is one.
  const boards: [Page, string][] = [
    [white, 'white'],
    [black, 'black'],
    [watcher, 'white'],
  ];
  for (const [page, orientation] of boards) {
    await page.locator(`.cg-wrap.orientation-${orientation}`).waitFor();
    expect(await page.locator(`.cg-wrap.orientation-${orientation}`).count()).toBe(1);
  }
  expect(await watcher.getByLabel('move input').count()).toBe(0);
  await white.getByRole('button', { name: 'Abort' }).waitFor();

  let draining: Promise<unknown> = Promise.resolve();
  for (let ply = 0; ply < ucis.length; ply++) {
    const mover = ply % 2 === 0 ? white : black;
    await waitForPlies(mover, ply).catch(async (e) => {
      await mover.screenshot({ path: `/tmp/game-${ply}.png` });
      throw new Error(`ply ${ply}: ${e}`);
    });
    if (ply === 4) {
      // Both sides have moved: white's clock runs, on every page, without a frame from the server.
      const before = await clockText(watcher, 'white');
      await watcher.waitForFunction(
        (before) => document.querySelector('[aria-label="white clock"]')?.textContent !== before,
        before,
      );
      expect(await watcher.locator('[aria-label="white clock"].clock--running').count()).toBe(1);
      expect(await watcher.locator('[aria-label="black clock"].clock--running').count()).toBe(0);
    }
    if (ply === RELAY_STOPPED_BEFORE) draining = web.stack.relays[0].stop('SIGTERM');
    if (ply === OFFLINE_AT) await mover.context().setOffline(true);
    await play(mover, ply);
    if (ply === OFFLINE_AT) {
      // The move shows on the board at once, and reaches nobody while the network is cut.
      await mover.waitForTimeout(5000);
      expect(await sansOf(black)).toHaveLength(OFFLINE_AT);
      await mover.context().setOffline(false);
    }
  }

  for (const page of pages) {
    await waitForPlies(page, ucis.length);
    await page.getByRole('status').filter({ hasText: 'Checkmate • White is victorious' }).waitFor();
    expect(await sansOf(page)).toEqual(OPERA_GAME);
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(
      true,
    );
  }
  // The server played each move once: the cut move too, though it may have been sent twice.
  expect((await getGame(web.stack, gameId)).moves).toEqual(ucis);
  await white.getByRole('button', { name: 'Rematch' }).waitFor();
  expect(await white.getByRole('button', { name: 'Rematch' }).count()).toBe(1);
  // The spectator's phone-sized page does not scroll sideways.
  expect(await watcher.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await draining;
}, 180_000);

test('chat kept apart, a takeback, a draw offered and accepted, and a rematch', async () => {
  const [white, black, watcher] = [await web.open('/'), await web.open('/'), await web.open('/')];
  const alice = await userOf(white, await signUp(white, 'gw'));
  const bob = await userOf(black, await signUp(black, 'gb'));
  await signUp(watcher, 'gs');
  const gameId = await newGame(web.stack, alice, bob, { limit: 300, increment: 2 });
  await Promise.all([white, black, watcher].map((page) => page.goto(`/${gameId}`)));
  const say = async (page: Page, text: string) => {
    await page.getByLabel('chat input').fill(text);
    await page.getByLabel('chat input').press('Enter');
  };
  const chatOf = (page: Page) => page.getByLabel('chat messages').textContent();
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  await play(white, 0);
  await waitForPlies(black, 1);
  await play(black, 1);
  await waitForPlies(white, 2);

  // Players hear players, spectators hear spectators (lila-core's rule), each their own line too.
  await say(white, 'good luck');
  await say(watcher, 'nice opening');
  await black.getByLabel('chat messages').getByText('good luck').waitFor();
  await watcher.getByLabel('chat messages').getByText('nice opening').waitFor();
  await white.getByLabel('chat messages').getByText('good luck').waitFor();
  expect(await chatOf(black)).not.toContain('nice opening');
  expect(await chatOf(watcher)).not.toContain('good luck');

  // Black takes back e5: white accepts, and every page is back to one move.
  await button(black, 'Takeback').click();
  await button(white, 'Decline takeback').waitFor();
  await button(white, 'Takeback').click();
  for (const page of [white, black, watcher])
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="moves"] .san').length === 1);
  await play(black, 1);
  await waitForPlies(white, 2);

  await button(white, 'Offer draw').click();
  await button(black, 'Decline').waitFor();
  await button(black, 'Accept draw').click();
  for (const page of [white, black, watcher]) await page.getByRole('status').filter({ hasText: 'Draw' }).waitFor();

  // A rematch: offered, accepted, and both players are taken to the new game; the spectator may follow.
  await button(white, 'Rematch').click();
  await button(black, 'Decline rematch').waitFor();
  await button(black, 'Rematch').click();
  const elsewhere = (url: URL) => /^\/[A-Za-z0-9]{8}$/.test(url.pathname) && url.pathname !== `/${gameId}`;
  await Promise.all([white.waitForURL(elsewhere), black.waitForURL(elsewhere)]);
  expect(new URL(white.url()).pathname).toBe(new URL(black.url()).pathname);
  await watcher.getByRole('link', { name: 'Watch the rematch' }).waitFor();
  // Colours swapped: bob now plays white, with the board turned his way.
  await black.locator('.cg-wrap.orientation-white').waitFor();
}, 120_000);

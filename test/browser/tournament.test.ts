import type { Page } from 'playwright-core';
import { waitForPlies } from './game-support.js';
import { signUp, startWeb, type Web } from './support.js';

/**
 * An arena in real Chromium: one player creates it from the tournaments page (starting in 10 s,
 * and joins it), another joins from its page; both wait there, are paired when it starts, and
 * land on their game by the `redirect` of their channel. A fool's mate later, the standings show
 * the result on both pages, and the arena's chat reaches the other page.
 */
let web: Web;
beforeAll(async () => {
  web = await startWeb({ relays: 1 });
}, 60_000);
afterAll(() => web?.stop());

const standingRow = (page: Page, name: string) =>
  page.getByRole('table', { name: 'standings' }).getByRole('row').filter({ hasText: name });

/** The game a page went to (support's gameIdOf would take the arena's own path, which ends the same way). */
async function gameIdOf(page: Page): Promise<string> {
  await page.waitForURL((url) => /^\/[A-Za-z0-9]{8}$/.test(url.pathname), { timeout: 30_000 });
  return new URL(page.url()).pathname.slice(1);
}

/** Types move number `ply` (from 0) once the page shows the moves before it: typed earlier, it is not the player's turn yet there. */
async function move(page: Page, ply: number, san: string): Promise<void> {
  await waitForPlies(page, ply);
  await page.getByLabel('move input').fill(san);
  await page.getByLabel('move input').press('Enter');
}

test('two players: created and joined, paired at the start, both on their game, the result in the standings', async () => {
  const alice = await web.open('/');
  const bob = await web.open('/');
  const [aliceName, bobName] = [await signUp(alice, 'ta'), await signUp(bob, 'tb')];

  // Alice creates a 1+0 arena from the page the header links to.
  await alice.getByRole('link', { name: 'Tournaments' }).click();
  await alice.getByLabel('Tournament name').fill('Browser Arena');
  await alice.getByLabel('Tournament minutes').selectOption('1');
  await alice.getByLabel('Tournament increment').selectOption('0');
  await alice.getByLabel('Duration').selectOption('5');
  await alice.getByLabel('Starts').selectOption('10');
  await alice.getByRole('button', { name: 'Create a tournament' }).click();
  await alice.waitForURL(/\/tournament\/[A-Za-z0-9]{8}$/);
  const path = new URL(alice.url()).pathname;
  await alice.getByRole('button', { name: 'Withdraw' }).waitFor();
  await alice
    .getByRole('timer', { name: 'countdown' })
    .getByText(/^Starts in 0:\d\d$/)
    .waitFor();

  // Bob finds it in the list and joins; both see both in the standings.
  await bob.getByRole('link', { name: 'Tournaments' }).click();
  await bob.getByRole('list', { name: 'tournaments' }).getByRole('link', { name: 'Browser Arena' }).click();
  await bob.waitForURL(`**${path}`);
  await bob.getByRole('button', { name: 'Join', exact: true }).click();
  await bob.getByRole('button', { name: 'Withdraw' }).waitFor();
  for (const page of [alice, bob]) for (const name of [aliceName, bobName]) await standingRow(page, name).waitFor();

  // The start pairs them at once: each page goes to the game.
  const [atAlice, atBob] = await Promise.all([gameIdOf(alice), gameIdOf(bob)]);
  expect(atAlice).toBe(atBob);
  const game = (await (await fetch(`${web.url}/api/game/${atAlice}`)).json()) as {
    tournament: string;
    players: Record<'white' | 'black', { name: string }>;
  };
  expect(path).toBe(`/tournament/${game.tournament}`);
  const [white, black] = game.players.white.name === aliceName ? [alice, bob] : [bob, alice];
  const winner = game.players.black.name;

  // Fool's mate: black wins.
  await move(white, 0, 'f3');
  await move(black, 1, 'e5');
  await move(white, 2, 'g4');
  await move(black, 3, 'Qh4');
  await black
    .getByRole('status')
    .getByText(/checkmate/i)
    .waitFor();

  // Back on the arena's page: the win is on the sheet and in the score, on both pages.
  for (const page of [alice, bob]) {
    await page.goto(path);
    const row = standingRow(page, winner);
    await row.getByRole('cell', { name: 'sheet' }).getByText('2', { exact: true }).waitFor();
    expect(await row.getByRole('cell').last().textContent()).toBe('2');
    expect(
      await standingRow(page, winner === aliceName ? bobName : aliceName)
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('0');
    // The winner is first.
    expect(await page.getByRole('table', { name: 'standings' }).getByRole('row').nth(1).textContent()).toContain(
      winner,
    );
  }

  // The arena's chat reaches the other page.
  await alice.getByLabel('chat input').fill('well played');
  await alice.getByLabel('chat input').press('Enter');
  await bob.getByRole('list', { name: 'chat messages' }).getByText('well played').waitFor();
}, 120_000);

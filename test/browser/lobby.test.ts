import type { Page } from 'playwright-core';
import { gameIdOf, playAnonymously, signUp, startWeb, type Web } from './support.js';

/**
 * The lobby in real Chromium, each person a browser context of their own: a challenge by name, a
 * pool pairing, a seek made by an anonymous player and accepted; each time both land on the same
 * game. The user page lists the game; the lobby fits a phone.
 */
let web: Web;
beforeAll(async () => {
  web = await startWeb();
}, 60_000);
afterAll(() => web?.stop());

const playersOf = async (id: string) => {
  const game = (await (await fetch(`${web.url}/api/game/${id}`)).json()) as {
    players: Record<string, { name: string }>;
  };
  return [game.players.white.name, game.players.black.name].sort();
};

async function signedUp(): Promise<[Page, string]> {
  const page = await web.open('/');
  return [page, await signUp(page)];
}

test('one challenges the other by name from the lobby; both land on the game', async () => {
  const [[alice, aliceName], [bob, bobName]] = [await signedUp(), await signedUp()];
  await alice.getByLabel("Opponent's name").fill(bobName);
  await alice.getByRole('button', { name: 'Challenge', exact: true }).click();
  await alice.getByText(`Waiting for ${bobName}`).waitFor();

  const offer = bob.getByRole('list', { name: 'challenges to you' }).getByRole('listitem');
  await offer.filter({ hasText: `${aliceName} challenges you` }).waitFor();
  await offer.getByRole('button', { name: 'Accept' }).click();

  const [atBob, atAlice] = [await gameIdOf(bob), await gameIdOf(alice)];
  expect(atAlice).toBe(atBob);
  expect(await playersOf(atBob)).toEqual([aliceName, bobName].sort());

  // The game is on both users' pages, linked.
  await alice.goto(`/@/${bobName}`);
  await alice.getByRole('heading', { name: bobName }).waitFor();
  expect(await alice.getByRole('list', { name: 'recent games' }).getByRole('link').getAttribute('href')).toBe(
    `/${atBob}`,
  );
  expect(await alice.getByRole('table', { name: 'ratings' }).getByRole('row').count()).toBe(5);
});

test('two players press the same pool button and are paired into one game', async () => {
  const [[carol, carolName], [dave, daveName]] = [await signedUp(), await signedUp()];
  const pool = (page: Page) => page.getByRole('button', { name: '1+0', exact: true });
  await pool(carol).click();
  expect(await pool(carol).getAttribute('aria-pressed')).toBe('true');
  // The pool's count reaches every lobby.
  await pool(dave).filter({ hasText: '1 waiting' }).waitFor();
  await pool(dave).click();
  // Pools pair in waves (every 12 s for 1+0): wait for the redirect.
  const [atCarol, atDave] = [await gameIdOf(carol), await gameIdOf(dave)];
  expect(atCarol).toBe(atDave);
  expect(await playersOf(atCarol)).toEqual([carolName, daveName].sort());
}, 60_000);

test('an anonymous player seeks; another accepts the seek; both land on the game', async () => {
  const anon = await web.open('/');
  await playAnonymously(anon);
  await anon.getByRole('button', { name: 'Create a seek' }).click();
  const mine = anon.getByRole('list', { name: 'seeks' }).getByRole('listitem');
  await mine.getByRole('button', { name: 'Cancel' }).waitFor();

  const [erin, erinName] = await signedUp();
  const seek = erin.getByRole('list', { name: 'seeks' }).getByRole('listitem').filter({ hasText: 'Anonymous' });
  await seek.getByRole('button', { name: 'Accept' }).click();
  const [atErin, atAnon] = [await gameIdOf(erin), await gameIdOf(anon)];
  expect(atAnon).toBe(atErin);
  expect(await playersOf(atErin)).toEqual(['Anonymous', erinName].sort());
});

test('a seek cancelled leaves every lobby', async () => {
  const [frank] = await signedUp();
  const [grace] = await signedUp();
  await frank.getByRole('button', { name: 'Create a seek' }).click();
  const atGrace = grace.getByRole('list', { name: 'seeks' }).getByRole('button', { name: 'Accept' });
  await atGrace.waitFor();
  await frank.getByRole('list', { name: 'seeks' }).getByRole('button', { name: 'Cancel' }).click();
  await atGrace.waitFor({ state: 'detached' });
});

test('the lobby, the sign-in page and a user page fit a phone: no horizontal scroll at 375 px', async () => {
  const phone = await web.open('/', { phone: true });
  const name = await signUp(phone);
  for (const path of ['/', '/login', `/@/${name}`]) {
    await phone.goto(path);
    await phone.getByRole('heading').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  }
  await phone.goto('/');
  await phone.getByRole('button', { name: '30+20', exact: true }).waitFor();
});

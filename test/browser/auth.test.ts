import { playAnonymously, signIn, signUp, startWeb, type Web } from './support.js';

/** Sessions in real Chromium: sign up, sign out, sign in again, play anonymously; the cookie never reaches scripts. */
let web: Web;
beforeAll(async () => {
  web = await startWeb({ relays: 1 });
}, 60_000);
afterAll(() => web?.stop());

test('sign up, reload (the cookie keeps the session), sign out, sign in again', async () => {
  const page = await web.open('/');
  const name = await signUp(page);
  expect(new URL(page.url()).pathname).toBe('/');
  await page.reload();
  await page.getByRole('link', { name, exact: true }).waitFor();
  // HttpOnly: the page's scripts cannot read the token.
  expect(await page.evaluate(() => document.cookie)).not.toContain('session=');
  expect((await page.context().cookies()).find((c) => c.name === 'session')).toMatchObject({
    httpOnly: true,
    sameSite: 'Lax',
  });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  expect((await page.context().cookies()).find((c) => c.name === 'session')).toBeUndefined();
  await page.reload();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();

  await signIn(page, name);
  expect(await page.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(`/@/${name}`);
});

test('a wrong password is said, and nobody is signed in', async () => {
  const page = await web.open('/login');
  await page.getByLabel('Name').fill('nobody-here');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong name or password' }).waitFor();
  expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
});

test('play anonymously: a session with no account', async () => {
  const page = await web.open('/');
  await playAnonymously(page);
  expect(new URL(page.url()).pathname).toBe('/');
  await page.getByText('Anonymous', { exact: true }).waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/session')).json());
  expect(me).toMatchObject({ user: { id: expect.stringMatching(/^anon-/), name: 'Anonymous' } });
});

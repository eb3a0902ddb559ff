import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { uniqueName } from '../support/api.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * The browser tests' harness: a real stack behind nginx (which serves the built web root,
 * dist/web: run `npm run -s build` first, as `npm test` does) and Debian's Chromium, headless,
 * driven by playwright-core (which never downloads a browser). Each `open()` is a browser context
 * of its own: its own cookies, so its own session, as another person's browser would be.
 *
 *   const web = await startWeb();            // in beforeAll
 *   const alice = await web.open('/signup');  // a page at the edge's URL + path
 *   const name = await signUp(alice);
 *   await web.stop();                         // in afterAll: pages, browser, stack
 *
 * Accessible names are the UI's contract (issue 15): use getByRole / getByLabel, not CSS classes.
 */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export type Web = {
  stack: Stack;
  browser: Browser;
  /** The edge, `http://127.0.0.1:<port>`. */
  url: string;
  /** A new browser context (its own cookies) with one page at `path`; 375 px wide with `phone`. */
  open(path?: string, o?: { phone?: boolean }): Promise<Page>;
  stop(): Promise<void>;
};

export async function startWeb(o: { relays?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Web> {
  const stack = await startStack({ relays: o.relays ?? 2, env: o.env, nginx: true });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const url = stack.edgeUrl!;
  const contexts: BrowserContext[] = [];
  return {
    stack,
    browser,
    url,
    async open(path = '/', { phone = false } = {}) {
      const context = await browser.newContext({
        baseURL: url,
        viewport: phone ? { width: 375, height: 740 } : { width: 1100, height: 800 },
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(path);
      return page;
    },
    async stop() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined))); // closing twice is harmless
      await browser.close();
      await stack.stop();
    },
  };
}

export const PASSWORD = 'hunter22';

/** Signs up a new account from /signup with a unique name; resolves once the lobby shows it signed in. */
export async function signUp(page: Page, prefix = 'w'): Promise<string> {
  const name = uniqueName(prefix);
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('link', { name, exact: true }).waitFor();
  return name;
}

/** Signs in to an existing account from /login. */
export async function signIn(page: Page, name: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name, exact: true }).waitFor();
}

/** Opens an anonymous session from /login; resolves on the lobby. */
export async function playAnonymously(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Play anonymously' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The 8-character game id of a page showing a game, once it is there. */
export async function gameIdOf(page: Page): Promise<string> {
  await page.waitForURL(/\/[A-Za-z0-9]{8}$/);
  return new URL(page.url()).pathname.slice(1);
}

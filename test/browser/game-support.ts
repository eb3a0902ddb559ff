import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../scripts/stack/services.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import type { User } from '../support/api.js';

/**
 * The game page alone in real Chromium, behind the real edge: the page's module and its styles
 * are bundled here (esbuild, as scripts/build-web.ts does for the app) into an entry that mounts
 * `gamePage` on `/<gameId>`, and each context is given that document and bundle by Playwright's
 * routing while the API and the sockets go to nginx. So the game page is tested as it is,
 * whatever the shell around it, signed in by the `session` cookie as a browser is.
 */
/** Debian's Chromium (the install step puts it there); playwright-core never downloads one. */
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export type GameWeb = {
  stack: Stack;
  browser: Browser;
  url: string;
  /** A context (its own cookies) showing game `gameId` as `user` (a spectator without one). */
  open(gameId: string, user: User | null, o?: { phone?: boolean }): Promise<{ page: Page; context: BrowserContext }>;
  stop(): Promise<void>;
};

const ENTRY = `
import { gamePage } from ${JSON.stringify(join(projectRoot, 'web/src/game/page.ts'))};
import '@lichess-org/chessground/assets/chessground.base.css';
import '@lichess-org/chessground/assets/chessground.brown.css';
import '@lichess-org/chessground/assets/chessground.cburnett.css';
const api = async (method, path, body) => {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => undefined) };
};
const socketBase = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
let dispose = () => {};
const mount = () => {
  dispose();
  dispose = gamePage(document.getElementById('app'), { me: window.__me ?? null, api, navigate, socketBase });
};
function navigate(path) { history.pushState(null, '', path); mount(); }
mount();
`;

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/__game/entry.css"><style>body{margin:0;font-family:sans-serif}*{box-sizing:border-box}</style>
</head><body><main id="app"></main><script type="module" src="/__game/entry.js"></script></body></html>`;

/** What the contexts get from here rather than from nginx: the game's document and the bundle. */
const SERVED = /^\/([A-Za-z0-9]{8}|__game\/entry\.(js|css))$/;

export async function startGameWeb(o: { relays?: number } = {}): Promise<GameWeb> {
  const dir = mkdtempSync(join(tmpdir(), 'lila-game-web-'));
  writeFileSync(join(dir, 'entry.js'), ENTRY);
  await build({
    entryPoints: [join(dir, 'entry.js')],
    outdir: join(dir, 'out'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    nodePaths: [join(projectRoot, 'node_modules')],
    loader: { '.svg': 'dataurl', '.png': 'dataurl' },
    logLevel: 'warning',
  });
  const files: Record<string, { body: Buffer; type: string }> = {
    '/__game/entry.js': { body: readFileSync(join(dir, 'out', 'entry.js')), type: 'text/javascript' },
    '/__game/entry.css': { body: readFileSync(join(dir, 'out', 'entry.css')), type: 'text/css' },
  };
  const stack = await startStack({ relays: o.relays ?? 2, nginx: true });
  // A document fulfilled by Playwright has no address of its own, so Chromium's Local Network
  // Access checks would block its sockets to the loopback edge; nginx's own pages are loopback.
  const args = ['--no-sandbox', '--disable-features=LocalNetworkAccessChecks'];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const url = stack.edgeUrl!;
  const contexts: BrowserContext[] = [];
  return {
    stack,
    browser,
    url,
    async open(gameId, user, { phone = false } = {}) {
      const context = await browser.newContext({
        baseURL: url,
        viewport: phone ? { width: 375, height: 740 } : { width: 1100, height: 800 },
      });
      contexts.push(context);
      if (user) {
        await context.addCookies([{ name: 'session', value: user.token, url, httpOnly: true, sameSite: 'Lax' }]);
        await context.addInitScript((me) => Object.assign(window, { __me: me }), { ...user, anonymous: false });
      }
      await context.route(
        (u) => SERVED.test(u.pathname),
        (route) => {
          const path = new URL(route.request().url()).pathname;
          const file = files[path];
          return route.fulfill(
            file ? { body: file.body, contentType: file.type } : { body: HTML, contentType: 'text/html' },
          );
        },
      );
      const page = await context.newPage();
      // The page's own errors say more than a timeout does.
      page.on('pageerror', (err) =>
        console.error(`page error (${gameId}, ${user?.name ?? 'spectator'}): ${err.message}`),
      );
      await page.goto(`/${gameId}`);
      return { page, context };
    },
    async stop() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined))); // closing twice is harmless
      await browser.close();
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Clicks square `sq` (`e2`) on the page's board, wherever the board is and whichever way it faces. */
export async function clickSquare(page: Page, sq: string): Promise<void> {
  const board = page.locator('cg-board');
  const box = (await board.boundingBox())!;
  const white = await page.locator('.cg-wrap.orientation-white').count();
  const file = sq.charCodeAt(0) - 97;
  const rank = Number(sq[1]) - 1;
  const col = white ? file : 7 - file;
  const row = white ? 7 - rank : rank;
  await page.mouse.click(box.x + ((col + 0.5) * box.width) / 8, box.y + ((row + 0.5) * box.height) / 8);
}

/** The moves in SAN as the page's move list shows them. */
export const sansOf = (page: Page): Promise<string[]> => page.locator('[aria-label="moves"] .san').allTextContents();

/** Resolves once the page's move list shows `n` moves. */
export const waitForPlies = (page: Page, n: number): Promise<unknown> =>
  page.waitForFunction((n) => document.querySelectorAll('[aria-label="moves"] .san').length >= n, n, {
    timeout: 30_000,
  });

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type Frame, type SocketClient } from '../client/index.js';
import { callApi } from './http-call.js';
import { projectRoot } from './stack/services.js';
import { startStack } from './stack/stack.js';

/**
 * `npm run screenshots`: the README's pictures of the web UI, taken from the real thing. Starts a
 * stack of its own behind nginx, makes a few players through the API (one seeking, one waiting in a
 * pool, two in a game of a few moves, played over their sockets), then photographs the lobby and
 * the game page in Debian's Chromium, at a desktop width and at a phone's, into docs/screenshots/.
 */
const OUT = join(projectRoot, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const OPENING = ['e2e4', 'e7e5', 'g1f3', 'b8c6', 'f1b5', 'a7a6', 'b5a4', 'g8f6'];

type Player = { id: string; name: string; token: string };

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack({ relays: 1, nginx: true });
  const sockets: SocketClient[] = [];
  let browser: Browser | undefined;
  try {
    const edge = stack.edgeUrl!;
    const ws = edge.replace(/^http/, 'ws');
    const call = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
      const answer = await callApi(edge, { method, path, body, token });
      if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.text}`);
      return answer.json as T;
    };
    const player = async (name: string): Promise<Player> => {
      await call('POST', '/api/account', { name, password: 'screenshots' });
      const opened = await call<{ token: string; user: Omit<Player, 'token'> }>('POST', '/api/session', {
        name,
        password: 'screenshots',
      });
      return { ...opened.user, token: opened.token };
    };
    const socket = (path: string, token: string) => {
      const client = createClient({ url: `${ws}${path}`, token, WebSocket });
      sockets.push(client);
      return client;
    };
    const [magnus, hikaru, judit, bobby] = [
      await player('Magnus'),
      await player('Hikaru'),
      await player('Judit'),
      await player('Bobby'),
    ];

    // The lobby's life: Judit seeks 5+3, Bobby waits in the 3+0 pool (a lobby page hears the
    // pools' counts and the site's figures as it opens).
    const clock = { limit: 300, increment: 3 };
    socket('/lobby', judit.token).send({ t: 'seek', d: { clock, color: 'random', rated: true } });
    socket('/lobby', bobby.token).send({ t: 'pool-in', d: { id: '3+0' } });

    // Magnus and Hikaru play a few moves of a Ruy Lopez.
    const body = { clock, color: 'white', rated: true };
    const made = await call<{ challenge: { id: string } }>('POST', `/api/challenge/${hikaru.id}`, body, magnus.token);
    const accept = `/api/challenge/${made.challenge.id}/accept`;
    const { game } = await call<{ game: { id: string } }>('POST', accept, {}, hikaru.token);
    const sides = [socket(`/play/${game.id}`, magnus.token), socket(`/play/${game.id}`, hikaru.token)];
    for (const [ply, uci] of OPENING.entries()) {
      const mover = sides[ply % 2];
      const played = new Promise<void>((resolve) => {
        const seen = (f: Frame) => 't' in f && f.t === 'move' && f.d.ply === ply + 1 && resolve();
        mover.on('frame', seen);
      });
      mover.move(uci);
      await played;
    }

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    for (const [label, viewport] of [
      ['', { width: 1200, height: 800 }],
      ['-phone', { width: 375, height: 800 }],
    ] as const) {
      const context = await browser.newContext({ baseURL: edge, viewport, deviceScaleFactor: 1 });
      await context.addCookies([{ name: 'session', value: magnus.token, url: edge, httpOnly: true, sameSite: 'Lax' }]);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('list', { name: 'seeks' }).getByText('Judit').waitFor();
      await page.getByRole('button', { name: '3+0', exact: true }).filter({ hasText: '1 waiting' }).waitFor();
      await page.getByRole('list', { name: 'games to watch' }).getByRole('link').waitFor();
      await page.getByText(/players online/).waitFor();
      await page.screenshot({ path: join(OUT, `lobby${label}.png`), fullPage: true });
      await page.goto(`/${game.id}`);
      await page.getByLabel('moves').getByText('Nf6').waitFor();
      await page.screenshot({ path: join(OUT, `game${label}.png`), fullPage: true });
      await context.close();
      console.log(`screenshots: lobby${label}.png, game${label}.png`);
    }
  } finally {
    sockets.forEach((s) => s.close());
    await browser?.close();
    await stack.stop();
  }
}

main().catch((err: Error) => {
  console.error(`screenshots: ${err.message}`);
  process.exit(1);
});

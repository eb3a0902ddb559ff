import type { Page } from 'playwright-core';
import type { User } from '../support/api.js';

/** What the game page's browser tests need besides the shell's harness (support.ts). */

/** The signed-in account of a page, with its `session` cookie as a token for API calls. */
export async function userOf(page: Page, name: string): Promise<User> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'session');
  if (!cookie) throw new Error(`${name} has no session cookie`);
  return { id: name.toLowerCase(), name, token: cookie.value };
}

/** Clicks square `sq` (`e2`) on the page's board, wherever the board is and whichever way it faces. */
export async function clickSquare(page: Page, sq: string): Promise<void> {
  const box = (await page.locator('cg-board').boundingBox())!;
  const white = (await page.locator('.cg-wrap.orientation-white').count()) > 0;
  const file = sq.charCodeAt(0) - 97;
  const rank = Number(sq[1]) - 1;
  const col = white ? file : 7 - file;
  const row = white ? 7 - rank : rank;
  await page.mouse.click(box.x + ((col + 0.5) * box.width) / 8, box.y + ((row + 0.5) * box.height) / 8);
}

/** The moves in SAN as the page's move list shows them. */
export const sansOf = (page: Page): Promise<string[]> => page.locator('[aria-label="moves"] .san').allTextContents();

/** Resolves once the page's move list shows at least `n` moves. */
export const waitForPlies = (page: Page, n: number): Promise<unknown> =>
  page.waitForFunction((n) => document.querySelectorAll('[aria-label="moves"] .san').length >= n, n);

import type { ClockConfig, Color } from '../../../protocol/game.js';
import { isPlaying, turnOf, type GameView } from './view.js';

/**
 * The clocks as the page shows them, from the server's clocks and the time since they arrived.
 * The server reads both clocks when it sends a frame; the frame then travels about half the
 * measured round trip (`lagMs`, the client library's ping → pong estimate) before the page has
 * it, so the running clock had already run that much longer when it arrived.
 */

/** Whether `color`'s clock runs: a game in play, both sides have moved, and it is that side's turn. */
export function isRunning(view: GameView, color: Color): boolean {
  return isPlaying(view) && view.game.moves.length >= 2 && turnOf(view.game) === color;
}

/** `color`'s remaining time in ms at local time `now`, never below 0. */
export function remainingMs(view: GameView, color: Color, now: number, lagMs = 0): number {
  const base = view.clocks[color] * 1000;
  if (!isRunning(view, color)) return Math.max(0, base);
  return Math.max(0, base - (now - view.clocksAt) - lagMs / 2);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `1:02:03`, `4:05`, and under ten seconds tenths too (`9.4`), as lichess shows them. */
export function formatClock(ms: number): string {
  if (ms < 10_000) {
    const tenths = Math.floor(ms / 100);
    return `0:0${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Below this a clock turns red: lichess's emergency time, an eighth of the limit within 10–60 s. */
export const lowTimeMs = (config: ClockConfig): number => 1000 * Math.min(60, Math.max(10, config.limit * 0.125));

/** How often the displayed clock changes: tenths when low, else seconds (to redraw no more than that). */
export const tickMs = (ms: number): number => (ms < 10_000 ? 100 : 1000);

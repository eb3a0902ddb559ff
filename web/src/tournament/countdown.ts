import type { TournamentJson } from '../../../protocol/http.js';

/** What the countdown says: before the start, the time to it; while it runs, the time left; then that it is over. */
export type Countdown = { label: string; text: string };

/** `1:05`, `12:00`, `1:02:03`: minutes and seconds, hours when there are some; never negative. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * The countdown at `now` (ms, the page's clock): by the times, not by `status`, which is as old as
 * the last fetch; the server's `reload` when it starts or ends brings the standings that go with it.
 */
export function countdownOf(t: Pick<TournamentJson, 'startsAt' | 'finishesAt'>, now: number): Countdown {
  if (now < t.startsAt) return { label: 'Starts in', text: clockText(t.startsAt - now) };
  if (now < t.finishesAt) return { label: 'Ends in', text: clockText(t.finishesAt - now) };
  return { label: 'Finished', text: '' };
}

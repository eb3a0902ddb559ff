import type { Color, GameJson } from '../../../protocol/game.js';
import { fill, h } from '../dom.js';
import type { Action } from './actions.js';
import { formatClock } from './clock.js';
import type { ChatLine, Crowd } from './view.js';

/**
 * The game page's parts around the board, each drawn from plain values: the players with their
 * clocks, the move list, the buttons, the chat and who is here. No state lives here.
 */
export type PlayerStrip = { root: HTMLElement; clock: HTMLElement; presence: HTMLElement };

export function playerStrip(game: GameJson, color: Color): PlayerStrip {
  const player = game.players[color];
  const presence = h('span', { class: 'presence', title: 'offline' });
  const clock = h('div', { class: `clock clock--${color}`, role: 'timer', 'aria-label': `${color} clock` }, '');
  const name = h('a', { class: 'player__name', href: `/@/${player.name}` }, player.name);
  return { root: h('div', { class: `player player--${color}` }, presence, name, clock), clock, presence };
}

export function showClock(el: HTMLElement, ms: number, o: { running: boolean; low: boolean }): void {
  const text = formatClock(ms);
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle('clock--running', o.running);
  el.classList.toggle('clock--low', o.low);
}

/** The moves as SAN, one list item per full move (`1. e4 e5`). */
export function showMoves(list: HTMLElement, sans: readonly string[]): void {
  const shown = list.querySelectorAll('.san').length;
  if (shown === sans.length) return;
  const rows: HTMLElement[] = [];
  for (let i = 0; i < sans.length; i += 2)
    rows.push(
      h(
        'li',
        {},
        h('span', { class: 'move-no' }, `${i / 2 + 1}.`),
        h('span', { class: 'san' }, sans[i]),
        sans[i + 1] !== undefined && h('span', { class: 'san' }, sans[i + 1]),
      ),
    );
  fill(list, rows);
  list.scrollTop = list.scrollHeight;
}

export function showActions(el: HTMLElement, actions: Action[], run: (a: Action) => void): void {
  const names = actions.map((a) => a.name).join('|');
  if (el.dataset.names === names) return;
  el.dataset.names = names;
  fill(
    el,
    actions.map((a) =>
      h('button', { type: 'button', class: `action action--${a.frame.t}`, onclick: () => run(a) }, a.name),
    ),
  );
}

export function showCrowd(el: HTMLElement, strips: Record<Color, PlayerStrip>, crowd: Crowd | null): void {
  for (const color of ['white', 'black'] as const) {
    const here = !!crowd?.[color];
    strips[color].presence.classList.toggle('presence--on', here);
    strips[color].presence.title = here ? 'online' : 'offline';
  }
  const watchers = crowd?.watchers ?? 0;
  el.textContent = watchers === 1 ? '1 spectator' : `${watchers} spectators`;
}

export function showChat(list: HTMLElement, lines: readonly ChatLine[]): void {
  if (list.childElementCount === lines.length && list.dataset.last === lines.at(-1)?.text) return;
  list.dataset.last = lines.at(-1)?.text ?? '';
  fill(
    list,
    lines.map((l) => h('li', {}, l.u ? h('span', { class: 'chat__user' }, l.u) : null, ' ', l.text)),
  );
  list.scrollTop = list.scrollHeight;
}

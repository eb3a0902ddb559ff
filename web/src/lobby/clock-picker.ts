import type { ClockConfig } from '../../../protocol/game.js';
import { h } from '../dom.js';

/** Minutes and increment as two selects; the seek form and the challenge form share it. */
const MINUTES = [1, 2, 3, 5, 10, 15, 30, 60];
const INCREMENTS = [0, 1, 2, 3, 5, 10, 20];

export function clockPicker(label: string): { el: HTMLElement; value: () => ClockConfig } {
  const minutes = h(
    'select',
    { 'aria-label': `${label} minutes` },
    ...MINUTES.map((m) => h('option', { value: m, selected: m === 5 }, `${m} min`)),
  );
  const increment = h(
    'select',
    { 'aria-label': `${label} increment` },
    ...INCREMENTS.map((i) => h('option', { value: i, selected: i === 3 }, `+${i} s`)),
  );
  return {
    el: h('span', { class: 'clock-picker' }, minutes, increment),
    value: () => ({ limit: Number(minutes.value) * 60, increment: Number(increment.value) }),
  };
}

/** `5+3`: minutes (or a fraction of one) and increment, as lichess writes a clock. */
export const clockName = (c: ClockConfig): string =>
  `${c.limit % 60 ? (c.limit / 60).toFixed(1) : c.limit / 60}+${c.increment}`;

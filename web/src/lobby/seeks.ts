import type { SeekJson } from '../../../protocol/client-out.js';
import type { Me } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName, clockPicker } from './clock-picker.js';

type SeekActions = {
  create: (d: { clock: SeekJson['clock']; color: SeekJson['color']; rated: boolean }) => void;
  cancel: (id: string) => void;
  accept: (id: string) => void;
  canAct: () => boolean;
};

/** The seeks: a form to make one, and the list, each one's Cancel (one's own) or Accept (anyone else's). */
export function seekList(me: Me, o: SeekActions) {
  let seeks: SeekJson[] = [];
  const clock = clockPicker('Seek');
  const color = h(
    'select',
    { 'aria-label': 'Seek colour' },
    h('option', { value: 'random' }, 'Random side'),
    h('option', { value: 'white' }, 'White'),
    h('option', { value: 'black' }, 'Black'),
  );
  const rated = h('input', { type: 'checkbox', disabled: !me || me.anonymous });
  const form = h(
    'form',
    {
      class: 'seek-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (o.canAct())
          o.create({ clock: clock.value(), color: color.value as SeekJson['color'], rated: rated.checked });
      },
    },
    clock.el,
    color,
    h('label', { class: 'inline' }, rated, 'Rated'),
    h('button', { type: 'submit' }, 'Create a seek'),
  );
  const list = h('ul', { class: 'seeks', 'aria-label': 'seeks' });

  const row = (s: SeekJson) =>
    h(
      'li',
      {},
      h(
        'span',
        {},
        `${s.user.name} · ${clockName(s.clock)} · ${s.rated ? 'rated' : 'casual'}${s.color === 'random' ? '' : ` · plays ${s.color}`}`,
      ),
      s.user.id === me?.id
        ? h('button', { type: 'button', onclick: () => o.cancel(s.id) }, 'Cancel')
        : h('button', { type: 'button', onclick: () => o.canAct() && o.accept(s.id) }, 'Accept'),
    );
  const render = () => fill(list, seeks.length ? seeks.map(row) : h('li', { class: 'empty' }, 'No seeks yet.'));
  render();

  return {
    el: h('div', {}, form, list),
    reset(all: SeekJson[]): void {
      seeks = all;
      render();
    },
    add(seek: SeekJson): void {
      seeks = [...seeks.filter((s) => s.id !== seek.id), seek];
      render();
    },
    remove(id: string): void {
      seeks = seeks.filter((s) => s.id !== id);
      render();
    },
  };
}

import type { TournamentJson } from '../../../protocol/http.js';
import { errorMessage } from '../api.js';
import type { Page } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName, clockPicker } from '../lobby/clock-picker.js';
import { countdownOf } from './countdown.js';
import './tournament.css';

const DURATIONS = [5, 10, 15, 20, 30, 45, 60, 90, 120];
const STARTS_IN: [seconds: number, label: string][] = [
  [10, 'in 10 seconds'],
  [60, 'in 1 minute'],
  [120, 'in 2 minutes'],
  [300, 'in 5 minutes'],
  [600, 'in 10 minutes'],
  [1800, 'in 30 minutes'],
  [3600, 'in 1 hour'],
];

/**
 * `/tournament`: the arenas created or started (`GET /api/tournament`), and a form to create one
 * (`POST /api/tournament`; its creator then joins it, as on lichess, and goes to its page).
 */
export const tournamentListPage: Page = (root, ctx) => {
  const list = h('ul', { class: 'tournaments', 'aria-label': 'tournaments' });
  const message = h('p', { class: 'error', role: 'alert' });
  let closed = false;

  void ctx.api<{ tournaments: TournamentJson[] }>('GET', '/api/tournament').then((answer) => {
    if (closed) return;
    if (answer.status !== 200) return void (message.textContent = errorMessage(answer));
    const now = Date.now();
    fill(
      list,
      answer.json.tournaments.length
        ? answer.json.tournaments.map((t) => {
            const c = countdownOf(t, now);
            return h(
              'li',
              {},
              h('a', { href: `/tournament/${t.id}` }, t.name),
              ` ${clockName(t.clock)} · ${t.minutes} min · ${t.nbPlayers} playing · ${c.label} ${c.text}`,
            );
          })
        : h('li', { class: 'empty' }, 'No tournament is planned.'),
    );
  });

  const name = h('input', { name: 'name', required: true, minlength: 2, maxlength: 30, autocomplete: 'off' });
  const clock = clockPicker('Tournament');
  const minutes = h(
    'select',
    { 'aria-label': 'Duration' },
    ...DURATIONS.map((m) => h('option', { value: m, selected: m === 30 }, `${m} minutes`)),
  );
  const startsIn = h(
    'select',
    { 'aria-label': 'Starts' },
    ...STARTS_IN.map(([s, label]) => h('option', { value: s, selected: s === 300 }, label)),
  );
  const berserkable = h('input', { type: 'checkbox', checked: true });
  const streaks = h('input', { type: 'checkbox', checked: true });

  const create = async () => {
    const body = {
      name: name.value.trim(),
      clock: clock.value(),
      minutes: Number(minutes.value),
      startsInSeconds: Number(startsIn.value),
      berserkable: berserkable.checked,
      streaks: streaks.checked,
    };
    const made = await ctx.api<{ tournament: TournamentJson }>('POST', '/api/tournament', body);
    if (made.status !== 201) return void (message.textContent = errorMessage(made));
    const { id } = made.json.tournament;
    const joined = await ctx.api('POST', `/api/tournament/${id}/join`, {});
    if (joined.status !== 200) message.textContent = errorMessage(joined);
    ctx.navigate(`/tournament/${id}`);
  };

  const form = h(
    'form',
    {
      class: 'arena-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (!ctx.me || ctx.me.anonymous) return ctx.navigate('/login?next=/tournament');
        void create();
      },
    },
    h('label', {}, 'Tournament name', name),
    clock.el,
    minutes,
    startsIn,
    h('label', { class: 'inline' }, berserkable, 'Berserk'),
    h('label', { class: 'inline' }, streaks, 'Streaks'),
    h('button', { type: 'submit', class: 'primary' }, 'Create a tournament'),
  );

  root.append(
    h('h1', {}, 'Tournaments'),
    message,
    h(
      'div',
      { class: 'lobby' },
      h('section', {}, h('h2', {}, 'Arenas'), list),
      h('section', {}, h('h2', {}, 'Create an arena'), form),
    ),
  );
  return () => {
    closed = true;
  };
};

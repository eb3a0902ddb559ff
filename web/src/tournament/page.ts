import { createClient, type Frame } from '../../../client/index.js';
import type { TournamentMe, TournamentPage } from '../../../protocol/http.js';
import { errorMessage } from '../api.js';
import type { ApiAnswer, Page } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName } from '../lobby/clock-picker.js';
import { entryFor, placeText } from './actions.js';
import { countdownOf } from './countdown.js';
import { createReloader } from './reload.js';
import { clampPage, pageCount, pageOfRank, rowsOf, type Row } from './standings.js';
import './tournament.css';

const MAX_CHAT_LINES = 100;

/**
 * A page of the standings, asked of the server each time: its answer may be kept a second
 * (`max-age=1`), and a `reload` within that second would otherwise get the browser's old copy.
 */
async function standingsOf(id: string, page: number): Promise<ApiAnswer<TournamentPage>> {
  try {
    const res = await fetch(`/api/tournament/${id}?page=${page}`, { cache: 'no-cache', credentials: 'same-origin' });
    return { status: res.status, json: (await res.json()) as TournamentPage };
  } catch {
    // Offline, or not JSON (nginx's own error page): status 0, as api.ts answers.
    return { status: 0, json: null as unknown as TournamentPage };
  }
}

/**
 * An arena's page, `/tournament/<id>`: its standings in pages of 10 (each player's sheet, on fire
 * or not), Join or Withdraw, the countdown to its start or end, its chat, and the way to one's
 * game. The `/tournament/<id>` socket (the client library) says when the standings changed
 * (`reload`: fetched again after a random 0–2 s) and brings the chat; a pairing comes as `redirect`
 * on the user's channel, which this socket is in too, and the page goes to the game (as the lobby).
 * Having the page open is what makes a player wait for a pairing.
 */
export const tournamentPage: Page = (root, ctx) => {
  const id = location.pathname.split('/')[2] ?? '';
  const player = ctx.me && !ctx.me.anonymous ? ctx.me : null;
  let t: TournamentPage | undefined;
  let place: TournamentMe['me'] = null;
  let page = 1;
  let closed = false;

  const title = h('h1', {}, 'Tournament');
  const facts = h('p', { class: 'arena__facts' });
  const countdown = h('p', { class: 'arena__countdown', role: 'timer', 'aria-label': 'countdown' });
  const entry = h('div', { class: 'arena__entry' });
  const problem = h('p', { class: 'error', role: 'alert' });
  const table = h('table', { class: 'standings', 'aria-label': 'standings' });
  const pager = h('div', { class: 'arena__pager' });
  const chatLines = h('ul', { class: 'chat__lines', 'aria-label': 'chat messages' });
  const chatInput = h('input', { 'aria-label': 'chat input', maxlength: 140, autocomplete: 'off' });

  const loadStandings = async (): Promise<void> => {
    const answer = await standingsOf(id, page);
    if (closed) return;
    if (answer.status !== 200) return void (problem.textContent = errorMessage(answer));
    t = answer.json;
    // Fewer players than when the page was chosen: show the last page there is.
    const within = clampPage(page, t.nbPlayers);
    if (within === page) return render();
    page = within;
    await loadStandings();
  };
  const loadPlace = async (): Promise<void> => {
    if (!player) return;
    const answer = await ctx.api<TournamentMe>('GET', `/api/tournament/${id}/me`);
    if (!closed && answer.status === 200) place = answer.json.me;
  };
  const reloader = createReloader({
    fetch: () => void loadStandings(),
    random: Math.random,
    timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
  });

  const act = async (how: 'join' | 'withdraw') => {
    const answer = await ctx.api('POST', `/api/tournament/${id}/${how}`, {});
    if (answer.status !== 200) return void (problem.textContent = errorMessage(answer));
    problem.textContent = '';
    await loadPlace();
    await loadStandings();
  };

  function renderEntry(): void {
    if (!t) return;
    const button = entryFor(ctx.me, place, t.status);
    const onclick = () => {
      if (button?.kind === 'sign-in') return ctx.navigate(`/login?next=/tournament/${id}`);
      void act(button?.kind === 'withdraw' ? 'withdraw' : 'join');
    };
    fill(
      entry,
      button &&
        h('button', { type: 'button', class: button.kind === 'withdraw' ? '' : 'primary', onclick }, button.label),
      h('span', {}, placeText(place)),
      place?.game && h('a', { href: `/${place.game}` }, 'Your game'),
    );
  }

  const row = ({ rank, player: p, marks, mine }: Row) =>
    h(
      'tr',
      { class: mine ? 'mine' : undefined, 'aria-current': mine ? 'true' : undefined },
      h('td', { class: 'rank' }, String(rank)),
      h(
        'td',
        { class: 'player' },
        h('a', { href: `/@/${p.name}` }, p.name),
        ` ${p.rating}`,
        p.fire && h('span', { class: 'fire', title: 'on fire', 'aria-label': 'on fire' }, '🔥'),
      ),
      h(
        'td',
        { class: 'sheet', 'aria-label': 'sheet' },
        marks.map((m) => h('span', { class: `mark ${m.result}${m.fire ? ' doubled' : ''}`, title: m.title }, m.text)),
      ),
      h('td', { class: 'score' }, String(p.score)),
    );

  function render(): void {
    if (!t) return;
    title.textContent = t.name;
    facts.textContent = `${clockName(t.clock)} · ${t.minutes} minutes · ${t.nbPlayers} player${t.nbPlayers === 1 ? '' : 's'}${t.berserkable ? ' · berserk allowed' : ''}`;
    renderCountdown();
    renderEntry();
    const rows = rowsOf(t.standing.page, t.standing.players, player?.id ?? null);
    fill(
      table,
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Player'), h('th', {}, 'Games'), h('th', {}, 'Score'))),
      h(
        'tbody',
        {},
        rows.length ? rows.map(row) : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'Nobody has joined yet.')),
      ),
    );
    const pages = pageCount(t.nbPlayers);
    const go = (to: number) => () => {
      page = to;
      void loadStandings();
    };
    fill(
      pager,
      pages > 1 && [
        h('button', { type: 'button', disabled: page <= 1, onclick: go(page - 1) }, 'Previous'),
        h('span', {}, `Page ${page} of ${pages}`),
        h('button', { type: 'button', disabled: page >= pages, onclick: go(page + 1) }, 'Next'),
      ],
    );
  }

  function renderCountdown(): void {
    if (!t) return;
    const c = countdownOf(t, Date.now());
    countdown.textContent = c.text ? `${c.label} ${c.text}` : c.label;
  }
  const ticker = setInterval(renderCountdown, 1000);

  const socket = createClient({ url: `${ctx.socketBase}/tournament/${id}` });
  socket.on('frame', (f: Frame) => {
    if (!('t' in f)) return;
    switch (f.t) {
      case 'reload':
        return reloader.request();
      case 'message':
        chatLines.append(h('li', {}, h('b', {}, f.d.u ?? '?'), ` ${f.d.text}`));
        while (chatLines.children.length > MAX_CHAT_LINES) chatLines.firstElementChild?.remove();
        chatLines.scrollTop = chatLines.scrollHeight;
        return;
      case 'redirect':
        return ctx.navigate(`/${f.d.id}`);
      case 'error':
        problem.textContent = f.d.message;
        return;
    }
  });
  const chatForm = h(
    'form',
    {
      class: 'chat__form',
      onsubmit: (e) => {
        e.preventDefault();
        const text = chatInput.value.trim();
        if (!text) return;
        socket.send({ t: 'talk', d: text });
        chatInput.value = '';
      },
    },
    chatInput,
  );

  root.append(
    h(
      'div',
      { class: 'arena' },
      h(
        'section',
        { class: 'arena__main', 'aria-labelledby': 'arena-title' },
        Object.assign(title, { id: 'arena-title' }),
        facts,
        countdown,
        entry,
        problem,
        table,
        pager,
      ),
      h(
        'section',
        { class: 'arena__chat chat', 'aria-label': 'chat' },
        h('h2', {}, 'Chat'),
        chatLines,
        player ? chatForm : h('p', { class: 'note' }, 'Sign in to chat.'),
      ),
    ),
  );

  // One's own page of the standings first, as lichess opens it.
  void loadPlace().then(() => {
    if (place) page = pageOfRank(place.rank);
    return loadStandings();
  });

  return () => {
    closed = true;
    clearInterval(ticker);
    reloader.stop();
    socket.close();
  };
};

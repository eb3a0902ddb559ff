import type { GameJson } from '../../../protocol/game.js';
import type { UserGamesJson, UserJson } from '../../../protocol/user.js';
import { errorMessage } from '../api.js';
import type { Page } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName } from '../lobby/clock-picker.js';

/** `/@/<name>`: a user's ratings per speed (lichess marks a rating with a deviation over 110 provisional: `?`), and recent games. */
const SPEEDS = ['bullet', 'blitz', 'rapid', 'classical'] as const;
const PROVISIONAL_RD = 110;

export const userPage: Page = (root, ctx) => {
  const name = decodeURIComponent(location.pathname.slice(3));
  const id = name.toLowerCase();
  fill(root, h('h1', {}, name), h('p', {}, 'Loading…'));
  let gone = false;

  void Promise.all([
    ctx.api<UserJson>('GET', `/api/user/${encodeURIComponent(id)}`),
    ctx.api<UserGamesJson>('GET', `/api/user/${encodeURIComponent(id)}/games?page=1`),
  ]).then(([user, games]) => {
    if (gone) return;
    if (user.status !== 200)
      return fill(
        root,
        h('h1', {}, name),
        h('p', { class: 'error' }, user.status === 404 ? 'No such user.' : errorMessage(user)),
      );
    const u = user.json;
    fill(
      root,
      h('h1', {}, u.name),
      h('p', {}, `${u.count.games} games: ${u.count.win} won, ${u.count.loss} lost, ${u.count.draw} drawn`),
      h(
        'table',
        { class: 'ratings', 'aria-label': 'ratings' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Speed'),
            h('th', { scope: 'col' }, 'Rating'),
            h('th', { scope: 'col' }, 'Rated games'),
          ),
        ),
        h(
          'tbody',
          {},
          SPEEDS.map((speed) => {
            const perf = u.ratings[speed];
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, speed),
              h('td', {}, `${perf.rating}${perf.rd > PROVISIONAL_RD ? '?' : ''}`),
              h('td', {}, String(perf.games)),
            );
          }),
        ),
      ),
      h('h2', {}, 'Recent games'),
      games.status === 200 && games.json.games.length
        ? h(
            'ul',
            { class: 'games', 'aria-label': 'recent games' },
            games.json.games.map((g) => gameRow(g, u.id)),
          )
        : h('p', {}, 'No games yet.'),
    );
  });
  return () => void (gone = true);
};

function gameRow(g: GameJson, userId: string) {
  const color = g.players.white.id === userId ? 'white' : 'black';
  const opponent = g.players[color === 'white' ? 'black' : 'white'];
  const result =
    g.status === 'started'
      ? 'playing now'
      : g.status === 'aborted'
        ? 'aborted'
        : g.winner === null
          ? 'draw'
          : g.winner === color
            ? 'won'
            : 'lost';
  return h(
    'li',
    {},
    h('a', { href: `/${g.id}` }, `${color === 'white' ? '♔' : '♚'} vs ${opponent.name}`),
    ` · ${clockName(g.clock)} · ${result} (${g.status}) · ${g.sans.length} plies`,
  );
}

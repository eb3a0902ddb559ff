import type { GameJson } from '../../../protocol/game.js';
import type { PageContext } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName } from './clock-picker.js';

/**
 * Games to watch (`GET /api/games/live`): fetched when the page opens and again whenever the
 * site's count of games changes (the `n` frame), so the list follows games as they start and end.
 */
export function liveGames(ctx: PageContext) {
  const list = h('ul', { class: 'live', 'aria-label': 'games to watch' });
  let shown = -1;
  const refresh = () =>
    void ctx.api<{ games: GameJson[] }>('GET', '/api/games/live').then((answer) => {
      if (answer.status !== 200) return;
      const games = answer.json.games;
      fill(
        list,
        games.length
          ? games.map((g) =>
              h(
                'li',
                {},
                h('a', { href: `/${g.id}` }, `${g.players.white.name} – ${g.players.black.name}`),
                ` ${clockName(g.clock)} · ${g.moves.length} plies`,
              ),
            )
          : h('li', { class: 'empty' }, 'No game in progress.'),
      );
    });
  refresh();
  return {
    el: list,
    /** The site's figures changed: a new count of games means another list. */
    games(n: number): void {
      if (n !== shown) refresh();
      shown = n;
    },
  };
}

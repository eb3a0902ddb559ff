import type { Page } from './context.js';
import { fill, h } from './dom.js';

/** Stands in for web/src/game/page.ts (the game helper's) until it lands: the game's id and a link to its PGN. */
export const gamePage: Page = (root) => {
  const id = location.pathname.slice(1);
  fill(
    root,
    h('h1', {}, `Game ${id}`),
    h('p', {}, h('a', { href: `/api/game/${id}/pgn`, download: `${id}.pgn` }, 'PGN')),
  );
  return () => {};
};

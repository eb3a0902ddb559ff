import type { Page } from '../context.js';
import { fill, h } from '../dom.js';

export const lobbyPage: Page = (root) => {
  fill(root, h('h1', {}, 'Lobby'));
  return () => {};
};

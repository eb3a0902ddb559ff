import type { Page } from '../context.js';
import { fill, h } from '../dom.js';

export const userPage: Page = (root) => {
  fill(root, h('h1', {}, decodeURIComponent(location.pathname.slice(3))));
  return () => {};
};

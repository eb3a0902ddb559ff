import '../static/app.css';
import { api } from './api.js';
import { authPage } from './auth/page.js';
import type { Me, Page, PageContext } from './context.js';
import { fill, h } from './dom.js';
import { gamePage } from './game/page.js';
import { lobbyPage } from './lobby/page.js';
import { loadMe, onSessionChange, sessionChanged, signOut } from './session.js';
import { tournamentListPage } from './tournament/list.js';
import { tournamentPage } from './tournament/page.js';
import { userPage } from './user/page.js';

/**
 * The shell: who is signed in, the header, and the router. Every path but the API's and the
 * sockets' reaches this page (nginx falls back to index.html), so a URL typed or reloaded shows
 * the same page as one reached by a link; links inside the app change pages without a reload.
 */
const GAME_PATH = /^\/[A-Za-z0-9]{8}$/;
const USER_PATH = /^\/@\/([A-Za-z0-9_-]{1,30})$/;
const TOURNAMENT_PATH = /^\/tournament\/[A-Za-z0-9]{8}$/;

export function route(path: string): Page {
  if (path === '/') return lobbyPage;
  if (path === '/login') return authPage('login');
  if (path === '/signup') return authPage('signup');
  if (USER_PATH.test(path)) return userPage;
  if (GAME_PATH.test(path)) return gamePage;
  if (path === '/tournament') return tournamentListPage;
  if (TOURNAMENT_PATH.test(path)) return tournamentPage;
  return notFoundPage;
}

const notFoundPage: Page = (root) => {
  fill(root, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '/' }, 'Back to the lobby')));
  return () => {};
};

let me: Me = null;
let dispose: () => void = () => {};
const main = document.getElementById('app')!;
const header = document.getElementById('top')!;

function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  render();
}

function context(): PageContext {
  const socketBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  return { me, api, navigate, socketBase };
}

function render(): void {
  dispose();
  renderHeader();
  main.replaceChildren();
  dispose = route(location.pathname)(main, context());
}

onSessionChange((next, path) => {
  me = next;
  navigate(path);
});

function renderHeader(): void {
  const account = me
    ? [
        me.anonymous
          ? h('span', { class: 'me' }, 'Anonymous')
          : h('a', { class: 'me', href: `/@/${me.name}` }, me.name),
        h(
          'button',
          { type: 'button', onclick: () => void signOut().then(() => sessionChanged(null, '/')) },
          'Sign out',
        ),
      ]
    : [h('a', { href: '/login' }, 'Sign in'), h('a', { href: '/signup' }, 'Sign up')];
  fill(
    header,
    h('a', { class: 'home', href: '/' }, 'lila-ts'),
    h('a', { href: '/tournament' }, 'Tournaments'),
    h('nav', { 'aria-label': 'account' }, account),
  );
}

// Links to pages of the app change the page without a reload; others (PGN, new tabs) go their way.
document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest?.('a');
  if (!a || a.target || a.hasAttribute('download') || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', render);

void loadMe().then((loaded) => {
  me = loaded;
  render();
});

import { errorMessage } from '../api.js';
import type { Page } from '../context.js';
import { fill, h } from '../dom.js';
import { playAnonymously, sessionChanged, signIn, signUp, type SignIn } from '../session.js';

/**
 * /login and /signup: a name and a password, and on both a way to play without an account. Every
 * way in ends on `?next=` (a path of this site) or the lobby.
 */
export const authPage =
  (kind: 'login' | 'signup'): Page =>
  (root) => {
    const next = safeNext(new URLSearchParams(location.search).get('next'));
    const name = h('input', { name: 'name', autocomplete: 'username', required: true, minlength: 2, maxlength: 20 });
    const password = h('input', {
      name: 'password',
      type: 'password',
      required: true,
      autocomplete: kind === 'login' ? 'current-password' : 'new-password',
    });
    const error = h('p', { class: 'error', role: 'alert' });
    const title = kind === 'login' ? 'Sign in' : 'Sign up';

    const finish = (done: SignIn) => {
      if (done.ok) sessionChanged(done.me, next);
      else error.textContent = errorMessage(done.answer);
    };
    const form = h(
      'form',
      {
        class: 'auth',
        onsubmit: (e) => {
          e.preventDefault();
          error.textContent = '';
          void (kind === 'login' ? signIn : signUp)(name.value, password.value).then(finish);
        },
      },
      h('label', {}, 'Name', name),
      h('label', {}, 'Password', password),
      h('button', { type: 'submit', class: 'primary' }, title),
      error,
    );
    fill(
      root,
      h('h1', {}, title),
      form,
      h(
        'p',
        {},
        h('button', { type: 'button', onclick: () => void playAnonymously().then(finish) }, 'Play anonymously'),
      ),
      kind === 'login'
        ? h('p', {}, 'No account? ', h('a', { href: '/signup' }, 'Sign up'))
        : h('p', {}, 'Have an account? ', h('a', { href: '/login' }, 'Sign in')),
    );
    name.focus();
    return () => {};
  };

/** Only a path of this site: `?next=https://elsewhere` must not send a new session off-site. */
const safeNext = (next: string | null): string => (next && /^\/(?!\/)/.test(next) ? next : '/');

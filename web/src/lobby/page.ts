import { createClient, type Frame } from '../../../client/index.js';
import type { Page } from '../context.js';
import { h } from '../dom.js';
import { challengePanel } from './challenges.js';
import { liveGames } from './live.js';
import { poolButtons } from './pools.js';
import { seekList } from './seeks.js';

/**
 * The lobby, on one `/lobby` socket (its rooms: `lobby`, `site`, and this user's own channel):
 * pools, seeks, players and games online, challenges by name, games to watch. A pairing, an
 * accepted seek or challenge comes as `redirect` on the user's channel: the page goes to the game.
 * Without a session, whatever needs one sends to /login first.
 */
export const lobbyPage: Page = (root, ctx) => {
  const socket = createClient({ url: `${ctx.socketBase}/lobby` });
  const canAct = (): boolean => {
    if (ctx.me) return true;
    ctx.navigate('/login?next=/');
    return false;
  };

  // Filled by the site's `n` frame: one as the socket opens, then when the figures change.
  const counts = h('p', { class: 'counts', 'aria-label': 'online' });
  const pools = poolButtons({
    canJoin: canAct,
    join: (id) => socket.send({ t: 'pool-in', d: { id } }),
    leave: (id) => socket.send({ t: 'pool-out', d: { id } }),
  });
  const seeks = seekList(ctx.me, {
    canAct,
    create: (d) => socket.send({ t: 'seek', d }),
    cancel: (id) => socket.send({ t: 'seek-cancel', d: { id } }),
    accept: (id) => socket.send({ t: 'seek-accept', d: { id } }),
  });
  const challenges = challengePanel(ctx, { canAct });
  const live = liveGames(ctx);
  const problem = h('p', { class: 'error', role: 'alert' });

  socket.on('frame', (f: Frame) => {
    if (!('t' in f)) return;
    switch (f.t) {
      case 'seeks':
        return seeks.reset(f.d);
      case 'seekAdd':
        return seeks.add(f.d);
      case 'seekRemove':
        return seeks.remove(f.d.id);
      case 'pools':
        return pools.counts(f.d);
      case 'n':
        counts.textContent = `${f.d.users} players online, ${f.d.games} games in play`;
        return live.games(f.d.games);
      case 'challenge':
      case 'challengeDeclined':
      case 'challengeCanceled':
        return challenges.onFrame(f.t, f.d);
      case 'redirect':
        return ctx.navigate(`/${f.d.id}`);
      case 'error':
        problem.textContent = f.d.message;
        return;
    }
  });

  root.append(
    h('h1', { class: 'visually-hidden' }, 'Lobby'),
    counts,
    problem,
    h(
      'div',
      { class: 'lobby' },
      h('section', { 'aria-labelledby': 'quick' }, h('h2', { id: 'quick' }, 'Quick pairing'), pools.el),
      h('section', { 'aria-labelledby': 'friend' }, h('h2', { id: 'friend' }, 'Challenge someone'), challenges.el),
      h('section', { 'aria-labelledby': 'seekers' }, h('h2', { id: 'seekers' }, 'Seeks'), seeks.el),
      h('section', { 'aria-labelledby': 'watch' }, h('h2', { id: 'watch' }, 'Watch'), live.el),
    ),
  );
  return () => socket.close();
};

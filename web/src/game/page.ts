import { createClient, type Frame } from '../../../client/index.js';
import type { Color, GameJson } from '../../../protocol/game.js';
import type { Page, PageContext } from '../context.js';
import { fill, h } from '../dom.js';
import { actionsFor, offerText, type Action } from './actions.js';
import { createBoard } from './board.js';
import { nextGameOf } from './next-game.js';
import { parseMoveInput, positionOf } from './chess.js';
import { isRunning, lowTimeMs, remainingMs } from './clock.js';
import './game.css';
import { playerStrip, showActions, showChat, showClock, showCrowd, showMoves } from './panel.js';
import { resultText, scoreText } from './result.js';
import { fromGame, isPlaying, opposite, reduce, turnOf, type GameView } from './view.js';

/**
 * The game page, `/<gameId>`: a player's (board turned to their side, moves allowed) or a
 * spectator's (read-only), by who is signed in. The game's JSON draws it at once; the socket
 * (`/play` or `/watch`, through the client library) then brings the state and every event.
 */
export const gamePage: Page = (root, ctx) => {
  const id = location.pathname.slice(1);
  let unmount: (() => void) | null = null;
  let disposed = false;
  fill(root, h('p', { class: 'game__loading' }, 'Loading the game…'));
  ctx
    .api<GameJson>('GET', `/api/game/${encodeURIComponent(id)}`)
    .then((answer) => {
      if (disposed) return;
      if (answer.status !== 200)
        return fill(root, h('h1', {}, 'No such game'), h('p', {}, h('a', { href: '/' }, 'Back to the lobby')));
      unmount = mountGame(root, ctx, answer.json);
    })
    .catch(
      (err: Error) =>
        !disposed && fill(root, h('p', { class: 'game__error' }, `Could not load the game: ${err.message}`)),
    );
  return () => {
    disposed = true;
    unmount?.();
  };
};

const ERROR_TEXT: Record<string, string> = {
  not_allowed_now: 'Not possible now',
  rate_limited: 'Too fast: wait a moment',
  unavailable: 'The server is busy: trying again',
  illegal_move: 'Illegal move',
  not_your_turn: 'Not your turn',
  game_over: 'The game is over',
};

function mountGame(root: HTMLElement, ctx: PageContext, game: GameJson): () => void {
  const now = () => performance.now();
  const me: Color | null =
    ctx.me?.id === game.players.white.id ? 'white' : ctx.me?.id === game.players.black.id ? 'black' : null;
  const orientation: Color = me ?? 'white';
  let view: GameView = fromGame(game, now());
  /** The player's move sent and not yet seen played: the board shows it meanwhile. */
  let pending: { uci: string; ply: number } | null = null;
  /** The ply at which this page claimed the opponent's flag, so it claims once per position. */
  let flagClaimedAt = -1;
  /** Set once the page goes to another game: a rematch comes both on the room and the user's channel. */
  let left = false;

  const client = createClient({ url: `${ctx.socketBase}/${me ? 'play' : 'watch'}/${game.id}` });

  const strips = { white: playerStrip(game, 'white'), black: playerStrip(game, 'black') };
  const boardWrap = h('div', { class: 'cg-wrap' });
  const moves = h('ol', { class: 'game__moves', 'aria-label': 'moves' });
  const status = h('div', { class: 'game__result', role: 'status' });
  const offer = h('p', { class: 'game__offer', 'aria-live': 'polite' });
  const actions = h('div', { class: 'game__actions' });
  const notice = h('p', { class: 'game__notice', 'aria-live': 'polite' });
  const connection = h('p', { class: 'game__connection', 'aria-live': 'polite' });
  const crowd = h('p', { class: 'game__crowd' });
  const moveInput = h('input', {
    'aria-label': 'move input',
    placeholder: 'Type a move: e4, Nf3, e2e4',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
  });
  const chatLines = h('ul', { class: 'chat__lines', 'aria-label': 'chat messages' });
  const chatInput = h('input', {
    'aria-label': 'chat input',
    maxlength: 140,
    placeholder: ctx.me ? 'Say something' : 'Sign in to chat',
    disabled: !ctx.me,
  });
  const rematchLink = h('p', { class: 'game__rematch' });

  fill(
    root,
    h(
      'div',
      { class: `game ${me ? 'game--player' : 'game--spectator'}` },
      h('div', { class: 'game__board' }, boardWrap),
      h(
        'div',
        { class: 'game__side' },
        strips[opposite(orientation)].root,
        h('div', { class: 'game__table' }, moves, status, offer, actions, notice, rematchLink),
        strips[orientation].root,
        me &&
          h('form', { class: 'game__keyboard', onsubmit: (e: Event) => (e.preventDefault(), typedMove()) }, moveInput),
        connection,
        h(
          'p',
          { class: 'game__links' },
          game.tournament && h('a', { href: `/tournament/${game.tournament}` }, 'Back to tournament'),
          h('a', { href: `/api/game/${game.id}/pgn`, download: `${game.id}.pgn` }, 'Download PGN'),
        ),
      ),
      h(
        'section',
        { class: 'chat', 'aria-label': 'chat' },
        h('h2', {}, me ? 'Chat room' : 'Spectator room'),
        crowd,
        chatLines,
        h('form', { class: 'chat__form', onsubmit: (e: Event) => (e.preventDefault(), say()) }, chatInput),
      ),
    ),
  );

  const board = createBoard(boardWrap, { orientation, viewOnly: !me, onMove: play });

  function play(uci: string): void {
    if (!me || !isPlaying(view) || pending) return render();
    pending = { uci, ply: view.game.moves.length + 1 };
    client.move(uci);
    render();
  }

  function typedMove(): void {
    client.activity();
    if (!me || !isPlaying(view)) return tell(notice, 'The game is over');
    if (turnOf(view.game) !== me || pending) return tell(notice, 'Not your turn');
    const pos = positionOf(view.game.fen);
    const parsed = pos ? parseMoveInput(pos, moveInput.value) : { error: 'No position' };
    if ('error' in parsed) return tell(notice, parsed.error);
    moveInput.value = '';
    tell(notice, '');
    play(parsed.uci);
  }

  function say(): void {
    const text = chatInput.value.trim();
    if (!text) return;
    client.send({ t: 'talk', d: text.slice(0, 140) });
    chatInput.value = '';
  }

  function run(action: Action): void {
    if (action.confirm && !confirm(action.confirm)) return;
    client.send(action.frame);
  }

  client.on('frame', (frame: Frame) => {
    const before = view;
    view = reduce(view, frame, now());
    if (!('t' in frame)) return;
    const next = nextGameOf(frame, { gameId: game.id, player: me !== null });
    if (next) return goTo(next);
    if (frame.t === 'error') tell(notice, ERROR_TEXT[frame.d.code] ?? frame.d.message);
    if (frame.t === 'state' || frame.t === 'reload' || frame.t === 'end') pending = null;
    if (pending && view.game.moves.length >= pending.ply) pending = null;
    if (view.rematchId && !before.rematchId) followRematch(view.rematchId);
    render();
    // The opponent has moved: a premove, if the player set one, goes now.
    if (me && view.game.moves.length !== before.game.moves.length && turnOf(view.game) === me) board.playPremove();
  });
  client.on('refused', () => {
    pending = null;
    render();
  });
  client.on('status', (s) => {
    connection.textContent = s === 'open' ? '' : s === 'closed' ? 'Disconnected' : 'Reconnecting…';
  });

  function followRematch(rematch: string): void {
    if (me) return goTo(rematch);
    fill(rematchLink, h('a', { href: `/${rematch}` }, 'Watch the rematch'));
  }

  function goTo(next: string): void {
    if (left) return;
    left = true;
    ctx.navigate(`/${next}`);
  }

  function render(): void {
    const g = view.game;
    board.show({
      fen: g.fen,
      lastMove: g.moves.at(-1) ?? null,
      movable: me && isPlaying(view) ? me : null,
      pending: pending?.uci ?? null,
    });
    showMoves(moves, g.sans);
    const result = resultText(g.status, g.winner);
    const score = scoreText(g.status, g.winner);
    status.textContent = result ? [score, result].filter(Boolean).join(' ') : '';
    showActions(actions, actionsFor(view, me), run);
    showCrowd(crowd, strips, view.crowd);
    showChat(chatLines, view.chat);
    moveInput.disabled = !isPlaying(view);
    tick();
  }

  /** The clocks and the claim countdown, redrawn often: they change with time alone. */
  function tick(): void {
    const t = now();
    const low = lowTimeMs(view.game.clock);
    for (const color of ['white', 'black'] as const) {
      const ms = remainingMs(view, color, t, client.lagMs ?? 0);
      showClock(strips[color].clock, ms, { running: isRunning(view, color), low: ms < low });
      // The opponent's time is out and the server has not said: tell it (it checks), once.
      if (me && color !== me && ms === 0 && isRunning(view, color) && flagClaimedAt !== view.game.moves.length) {
        flagClaimedAt = view.game.moves.length;
        client.send({ t: 'outoftime' });
      }
    }
    const text = offerText(view, me, t) ?? '';
    if (offer.textContent !== text) offer.textContent = text;
  }

  const activity = () => client.activity();
  root.addEventListener('pointerdown', activity);
  root.addEventListener('keydown', activity);
  const ticker = setInterval(tick, 100);
  const resize = () => document.body.dispatchEvent(new Event('chessground.resize'));
  window.addEventListener('resize', resize);
  render();

  return () => {
    clearInterval(ticker);
    window.removeEventListener('resize', resize);
    root.removeEventListener('pointerdown', activity);
    root.removeEventListener('keydown', activity);
    client.close();
    board.destroy();
  };
}

function tell(el: HTMLElement, text: string): void {
  el.textContent = text;
}

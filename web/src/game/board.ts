import { Chessground } from '@lichess-org/chessground';
import type { Api } from '@lichess-org/chessground/api';
import type { Key } from '@lichess-org/chessground/types';
import type { Color } from '../../../protocol/game.js';
import { h } from '../dom.js';
import {
  destsOf,
  fenAfter,
  inCheck,
  isPromotion,
  positionOf,
  PROMOTION_ROLES,
  squaresOf,
  uciOf,
  type PromotionRole,
} from './chess.js';

/**
 * The board: chessground showing the game's position, with chessops's legal moves for the
 * player, premoves, a promotion choice, and the last move and check highlighted. It reports the
 * player's moves as UCI; what it shows always comes from `show` (the server's position, or that
 * position after the player's move not yet confirmed).
 */
export type BoardShow = {
  fen: string;
  lastMove: string | null;
  /** The player's colour while they may move or premove; null for spectators and after the game. */
  movable: Color | null;
  /** A move of the player's that the server has not yet confirmed, shown played. */
  pending: string | null;
};

export type Board = { show(s: BoardShow): void; playPremove(): void; destroy(): void };

export function createBoard(
  wrap: HTMLElement,
  o: { orientation: Color; viewOnly: boolean; onMove: (uci: string) => void },
): Board {
  let shown = '';
  let current: BoardShow | null = null;
  const promotion = h('div', { class: 'promotion', role: 'dialog', 'aria-label': 'promote to', hidden: true });
  const cg: Api = Chessground(wrap, {
    orientation: o.orientation,
    viewOnly: o.viewOnly,
    coordinates: true,
    movable: { free: false, color: undefined, showDests: true, events: { after: moved } },
    premovable: { enabled: !o.viewOnly },
    draggable: { showGhost: true },
    animation: { duration: 150 },
  });
  wrap.parentElement?.append(promotion);

  function moved(orig: Key, dest: Key, meta: { premove: boolean }): void {
    const pos = current && positionOf(current.fen);
    if (!pos) return;
    // A premove promotes to a queen, as lichess's does: the player is not there to choose.
    if (isPromotion(pos, orig, dest) && !meta.premove) choosePromotion(orig, dest);
    else o.onMove(uciOf(orig, dest, isPromotion(pos, orig, dest) ? 'queen' : undefined));
  }

  function choosePromotion(orig: string, dest: string): void {
    const pick = (role: PromotionRole | null) => {
      promotion.hidden = true;
      promotion.replaceChildren();
      if (role) o.onMove(uciOf(orig, dest, role));
      else shown = '';
      if (!role && current) show(current);
    };
    promotion.replaceChildren(
      ...PROMOTION_ROLES.map((role) =>
        h(
          'button',
          { type: 'button', class: `promote ${role}`, onclick: () => pick(role) },
          role[0].toUpperCase() + role.slice(1),
        ),
      ),
      h('button', { type: 'button', class: 'promote cancel', onclick: () => pick(null) }, 'Cancel'),
    );
    promotion.hidden = false;
  }

  function show(s: BoardShow): void {
    current = s;
    const fen = (s.pending && fenAfter(s.fen, s.pending)) || s.fen;
    const lastMove = s.pending ?? s.lastMove;
    const key = [fen, lastMove, s.movable].join('|');
    // Redrawing an unchanged position would drop the player's selection and drag.
    if (key === shown) return;
    shown = key;
    const pos = positionOf(fen);
    const turn = pos?.turn ?? 'white';
    const myTurn = !!s.movable && turn === s.movable;
    cg.set({
      fen,
      turnColor: turn,
      lastMove: lastMove ? (squaresOf(lastMove) as Key[]) : undefined,
      check: pos && inCheck(pos) ? turn : false,
      movable: {
        color: s.movable ?? undefined,
        dests: pos && myTurn && !s.pending ? (destsOf(pos) as Map<Key, Key[]>) : new Map(),
      },
    });
    if (!s.movable) cg.cancelPremove();
  }

  return {
    show,
    playPremove: () => void cg.playPremove(),
    destroy: () => {
      cg.destroy();
      promotion.remove();
    },
  };
}

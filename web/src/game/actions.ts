import type { Sendable } from '../../../client/index.js';
import type { Color } from '../../../protocol/game.js';
import { isPlaying, opposite, type GameView } from './view.js';

/**
 * The buttons a player has at a given moment, from the view alone (spectators have none): each
 * with its visible name and the frame it sends. The server still decides; a button shown at the
 * wrong moment is refused with `not_allowed_now` and changes nothing.
 */
export type Action = { name: string; frame: Sendable; confirm?: string };

const act = (name: string, t: Sendable['t'], confirm?: string): Action => ({
  name,
  frame: { t } as Sendable,
  ...(confirm && { confirm }),
});

export function actionsFor(view: GameView, me: Color | null): Action[] {
  if (!me) return [];
  const them = opposite(me);
  const plies = view.game.moves.length;
  if (!isPlaying(view)) {
    if (view.game.status === 'aborted' || view.rematchId) return [];
    if (view.rematchOffer === me) return [act('Cancel rematch', 'rematch-no')];
    if (view.rematchOffer === them) return [act('Rematch', 'rematch-yes'), act('Decline rematch', 'rematch-no')];
    return [act('Rematch', 'rematch-yes')];
  }
  const actions: Action[] = [];
  if (view.opponentGone) actions.push(act('Claim victory', 'resign-force'), act('Call draw', 'draw-force'));
  if (plies < 2) actions.push(act('Abort', 'abort'));
  else actions.push(act('Resign', 'resign', 'Resign this game?'));
  if (view.drawOffer === them) actions.push(act('Accept draw', 'draw-yes'), act('Decline', 'draw-no'));
  else if (view.drawOffer === me) actions.push(act('Cancel draw offer', 'draw-no'));
  else if (plies >= 2) actions.push(act('Offer draw', 'draw-yes'));
  // A takeback needs a move of one's own to take back.
  const myMoves = me === 'white' ? Math.ceil(plies / 2) : Math.floor(plies / 2);
  if (view.takebackOffers[them]) actions.push(act('Takeback', 'takeback-yes'), act('Decline takeback', 'takeback-no'));
  else if (view.takebackOffers[me]) actions.push(act('Cancel takeback', 'takeback-no'));
  else if (myMoves > 0) actions.push(act('Takeback', 'takeback-yes'));
  actions.push(act('Moretime', 'moretime'));
  return actions;
}

/** The line under the clocks that says what is pending, for players and spectators alike. */
export function offerText(view: GameView, me: Color | null, now: number): string | null {
  if (!isPlaying(view)) {
    if (view.rematchId) return null;
    if (me && view.rematchOffer === opposite(me)) return 'Your opponent offers a rematch';
    if (me && view.rematchOffer === me) return 'Rematch offer sent';
    return null;
  }
  if (me && view.opponentGone) return 'Your opponent left the game: you can claim victory or call a draw';
  if (me && view.claimAt !== null) {
    const seconds = Math.max(0, Math.ceil((view.claimAt - now) / 1000));
    return `Your opponent left the game: you can claim victory in ${seconds} s`;
  }
  if (view.drawOffer)
    return me === view.drawOffer
      ? 'Draw offer sent'
      : `${view.drawOffer === 'white' ? 'White' : 'Black'} offers a draw`;
  if (me && view.takebackOffers[opposite(me)]) return 'Your opponent proposes a takeback';
  if (me && view.takebackOffers[me]) return 'Takeback proposition sent';
  return null;
}

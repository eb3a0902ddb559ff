import { actionsFor, offerText } from '../../web/src/game/actions.js';
import { resultText, scoreText } from '../../web/src/game/result.js';
import { fromGame, type GameView } from '../../web/src/game/view.js';
import { gameJson as game } from '../support/game-json.js';

const names = (view: GameView, me: 'white' | 'black' | null) => actionsFor(view, me).map((a) => a.name);
const plies = (n: number) => ({ moves: Array(n).fill('e2e4'), sans: Array(n).fill('e4') });

describe('the buttons a player has', () => {
  it('spectators have none', () => expect(names(fromGame(game(plies(4)), 0), null)).toEqual([]));

  it('abort before both sides have moved, then resign and offer a draw', () => {
    expect(names(fromGame(game(), 0), 'white')).toEqual(['Abort', 'Moretime']);
    expect(names(fromGame(game(plies(1)), 0), 'white')).toEqual(['Abort', 'Takeback', 'Moretime']);
    expect(names(fromGame(game(plies(2)), 0), 'black')).toEqual(['Resign', 'Offer draw', 'Takeback', 'Moretime']);
  });

  it('accept or decline the opponent’s draw offer and takeback; cancel one’s own', () => {
    const view = {
      ...fromGame(game(plies(4)), 0),
      drawOffer: 'black' as const,
      takebackOffers: { white: false, black: true },
    };
    expect(names(view, 'white')).toEqual([
      'Resign',
      'Accept draw',
      'Decline',
      'Takeback',
      'Decline takeback',
      'Moretime',
    ]);
    expect(names(view, 'black')).toEqual(['Resign', 'Cancel draw offer', 'Cancel takeback', 'Moretime']);
    expect(actionsFor(view, 'white').find((a) => a.name === 'Accept draw')?.frame).toEqual({ t: 'draw-yes' });
  });

  it('claim the win or a draw once the opponent is gone', () => {
    const view = { ...fromGame(game(plies(4)), 0), opponentGone: true };
    expect(names(view, 'white').slice(0, 2)).toEqual(['Claim victory', 'Call draw']);
    expect(actionsFor(view, 'white')[0].frame).toEqual({ t: 'resign-force' });
  });

  it('after the game: rematch, or answer the opponent’s; nothing after an abort or once it started', () => {
    const over = fromGame(game({ ...plies(4), status: 'resign', winner: 'white' }), 0);
    expect(names(over, 'white')).toEqual(['Rematch']);
    expect(names({ ...over, rematchOffer: 'black' }, 'white')).toEqual(['Rematch', 'Decline rematch']);
    expect(names({ ...over, rematchOffer: 'white' }, 'white')).toEqual(['Cancel rematch']);
    expect(names({ ...over, rematchId: 'x' }, 'white')).toEqual([]);
    expect(names(fromGame(game({ status: 'aborted' }), 0), 'white')).toEqual([]);
  });

  it('says what is pending, with the claim countdown', () => {
    const view = { ...fromGame(game(plies(4)), 0), claimAt: 10_500 };
    expect(offerText(view, 'white', 1000)).toBe('Your opponent left the game: you can claim victory in 10 s');
    expect(offerText({ ...view, claimAt: null, drawOffer: 'black' }, null, 0)).toBe('Black offers a draw');
  });
});

describe('the result banner', () => {
  it.each([
    ['mate', 'white', 'Checkmate • White is victorious', '1-0'],
    ['resign', 'black', 'White resigned • Black is victorious', '0-1'],
    ['stalemate', null, 'Stalemate • Draw', '½-½'],
    ['timeout', 'white', 'Black left the game • White is victorious', '1-0'],
    ['outoftime', null, 'Time out • Draw', '½-½'],
    ['aborted', null, 'Game aborted', null],
    ['started', null, null, null],
  ] as const)('%s, winner %s', (status, winner, text, score) => {
    expect(resultText(status, winner)).toBe(text);
    expect(scoreText(status, winner)).toBe(score);
  });
});

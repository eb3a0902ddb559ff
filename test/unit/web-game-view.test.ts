import type { Frame } from '../../client/index.js';
import { gameJson } from '../support/game-json.js';
import { fromGame, MAX_CHAT_LINES, reduce, turnOf, type GameView } from '../../web/src/game/view.js';

const AFTER_E4 = 'rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1';
const game = gameJson;

const apply = (view: GameView, frames: Frame[], now = 0) => frames.reduce((v, f) => reduce(v, f, now), view);
const e4: Frame = {
  t: 'move',
  v: 2,
  d: { ply: 1, uci: 'e2e4', san: 'e4', fen: AFTER_E4, clock: { white: 180, black: 180 } },
};

describe('the game view reduced from frames', () => {
  it('appends a move with its SAN, position and clocks, stamped with the local time it arrived', () => {
    const view = reduce(fromGame(game(), 0), e4, 500);
    expect(view.game.moves).toEqual(['e2e4']);
    expect(view.game.sans).toEqual(['e4']);
    expect(view.game.fen).toBe(AFTER_E4);
    expect(view.clocksAt).toBe(500);
    expect(turnOf(view.game)).toBe('black');
  });

  it('ignores a move it already has or one past a hole', () => {
    const once = reduce(fromGame(game(), 0), e4, 0);
    expect(reduce(once, e4, 0)).toBe(once);
    const far: Frame = { ...e4, d: { ...(e4 as { d: object }).d, ply: 5 } };
    expect(reduce(fromGame(game(), 0), far, 0).game.moves).toEqual([]);
  });

  it('a move voids a draw offer and takeback proposals', () => {
    const view = apply(fromGame(game(), 0), [
      { t: 'drawOffer', v: 2, d: { by: 'black' } },
      { t: 'takebackOffers', v: 3, d: { white: true, black: false } },
      { ...e4, v: 4 },
    ]);
    expect(view.drawOffer).toBeNull();
    expect(view.takebackOffers).toEqual({ white: false, black: false });
  });

  it('an end sets status, winner, final clocks and rating changes, and ends offers', () => {
    const view = apply(fromGame(game(), 0), [
      { t: 'drawOffer', v: 2, d: { by: 'black' } },
      {
        t: 'end',
        v: 3,
        d: { winner: 'white', status: 'mate', clock: { white: 12, black: 3 }, ratingDiff: { white: 8, black: -8 } },
      },
    ]);
    expect(view.game.status).toBe('mate');
    expect(view.game.winner).toBe('white');
    expect(view.clocks).toEqual({ white: 12, black: 3 });
    expect(view.ratingDiff).toEqual({ white: 8, black: -8 });
    expect(view.drawOffer).toBeNull();
  });

  it('a state or reload replaces the game and keeps the chat and crowd', () => {
    const view = apply(fromGame(game(), 0), [
      { t: 'crowd', d: { white: true, black: false, watchers: 2 } },
      { t: 'message', v: 2, d: { u: 'alice', text: 'hi' } },
      { t: 'reload', v: 3, d: game({ v: 3, moves: ['e2e4'], sans: ['e4'], fen: AFTER_E4 }) },
    ]);
    expect(view.game.moves).toEqual(['e2e4']);
    expect(view.chat).toEqual([{ u: 'alice', text: 'hi' }]);
    expect(view.crowd?.watchers).toBe(2);
  });

  it('tracks offers, the opponent gone and a rematch redirect on the room (not on a user channel)', () => {
    const base = fromGame(game({ status: 'resign', winner: 'black' }), 0);
    expect(apply(base, [{ t: 'rematchOffer', v: 2, d: { by: 'white' } }]).rematchOffer).toBe('white');
    expect(apply(base, [{ t: 'redirect', v: 2, d: { id: 'efgh5678' } }]).rematchId).toBe('efgh5678');
    expect(apply(base, [{ t: 'redirect', d: { id: 'efgh5678' } }]).rematchId).toBeNull();
    const left = apply(fromGame(game(), 0), [{ t: 'goneIn', v: 2, d: 30 }], 1000);
    expect(left.claimAt).toBe(31_000);
    expect(left.opponentGone).toBe(false);
    const gone = reduce(left, { t: 'gone', v: 3, d: true }, 40_000);
    expect(gone.opponentGone).toBe(true);
    expect(reduce(gone, { t: 'gone', v: 4, d: false }, 41_000)).toMatchObject({ opponentGone: false, claimAt: null });
  });

  it('a moretime clock resets the clocks and their time; chat keeps its last lines', () => {
    const view = reduce(fromGame(game(), 0), { t: 'clock', v: 2, d: { white: 195, black: 180 } }, 7);
    expect(view).toMatchObject({ clocks: { white: 195, black: 180 }, clocksAt: 7 });
    const lines = Array.from({ length: MAX_CHAT_LINES + 5 }, (_, i): Frame => ({
      t: 'message',
      v: i + 2,
      d: { u: 'a', text: `${i}` },
    }));
    const chatty = apply(fromGame(game(), 0), lines);
    expect(chatty.chat).toHaveLength(MAX_CHAT_LINES);
    expect(chatty.chat.at(-1)?.text).toBe(`${MAX_CHAT_LINES + 4}`);
  });
});

import type { Frame } from '../../../client/index.js';
import type { Clocks, Color, GameJson } from '../../../protocol/game.js';

/**
 * What the game page shows, reduced from the game's JSON and then from each socket frame, as a
 * pure transition with the local time passed in (clocks are the server's as of `clocksAt`, when
 * they arrived). The client library delivers room events once and in order, so a frame here is
 * applied as it comes; `state` and `reload` replace the game but keep what is not part of it
 * (chat, the crowd).
 */
export type Crowd = { white: boolean; black: boolean; watchers: number };
export type ChatLine = { u: string | null; text: string };

export type GameView = {
  readonly game: GameJson;
  /** Each side's remaining seconds as the server said, at local time `clocksAt` (ms). */
  readonly clocks: Clocks;
  readonly clocksAt: number;
  readonly drawOffer: Color | null;
  readonly takebackOffers: { white: boolean; black: boolean };
  readonly rematchOffer: Color | null;
  /** The opponent is gone: the player may claim the win or a draw. */
  readonly opponentGone: boolean;
  /** The opponent left: a claim becomes possible at this local time (ms). */
  readonly claimAt: number | null;
  readonly crowd: Crowd | null;
  readonly chat: readonly ChatLine[];
  readonly ratingDiff: { white: number; black: number } | null;
  /** The rematch's game id, once it started. */
  readonly rematchId: string | null;
};

/** Chat lines kept on the page; older ones scroll away. */
export const MAX_CHAT_LINES = 100;

export function fromGame(game: GameJson, now: number, kept?: GameView): GameView {
  return {
    game,
    clocks: game.clocks,
    clocksAt: now,
    drawOffer: null,
    takebackOffers: { white: false, black: false },
    rematchOffer: null,
    opponentGone: kept?.opponentGone ?? false,
    claimAt: kept?.claimAt ?? null,
    crowd: kept?.crowd ?? null,
    chat: kept?.chat ?? [],
    ratingDiff: null,
    rematchId: kept?.rematchId ?? null,
  };
}

export const turnOf = (game: Pick<GameJson, 'moves'>): Color => (game.moves.length % 2 === 0 ? 'white' : 'black');
export const opposite = (c: Color): Color => (c === 'white' ? 'black' : 'white');
export const isPlaying = (view: GameView): boolean => view.game.status === 'started';

export function reduce(view: GameView, frame: Frame, now: number): GameView {
  if (!('t' in frame)) return view;
  switch (frame.t) {
    case 'state':
    case 'reload':
      return 'd' in frame && frame.d ? fromGame(frame.d, now, view) : view;
    case 'move': {
      const { ply, uci, san, fen, clock } = frame.d;
      // A move this view already has (or one past a hole, which the client resyncs) changes nothing.
      if (ply !== view.game.moves.length + 1) return view;
      const game = { ...view.game, moves: [...view.game.moves, uci], sans: [...view.game.sans, san], fen };
      // A move declines a pending draw offer and ends takeback proposals.
      return {
        ...view,
        game,
        clocks: clock,
        clocksAt: now,
        drawOffer: null,
        takebackOffers: { white: false, black: false },
      };
    }
    case 'end':
      return {
        ...view,
        game: { ...view.game, status: frame.d.status, winner: frame.d.winner },
        clocks: frame.d.clock,
        clocksAt: now,
        drawOffer: null,
        takebackOffers: { white: false, black: false },
        opponentGone: false,
        claimAt: null,
        ratingDiff: frame.d.ratingDiff ?? null,
      };
    case 'clock':
    case 'berserk':
      return { ...view, clocks: 'color' in frame.d ? frame.d.clock : frame.d, clocksAt: now };
    case 'drawOffer':
      return { ...view, drawOffer: frame.d.by };
    case 'takebackOffers':
      return { ...view, takebackOffers: frame.d };
    case 'rematchOffer':
      return { ...view, rematchOffer: frame.d.by };
    case 'redirect':
      return 'v' in frame && frame.v !== undefined ? { ...view, rematchId: frame.d.id } : view;
    case 'goneIn':
      return { ...view, opponentGone: false, claimAt: now + frame.d * 1000 };
    case 'gone':
      return { ...view, opponentGone: frame.d, claimAt: frame.d ? now : null };
    case 'crowd':
      return { ...view, crowd: frame.d };
    case 'message':
      return { ...view, chat: [...view.chat, frame.d].slice(-MAX_CHAT_LINES) };
    default:
      return view;
  }
}

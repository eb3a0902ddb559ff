import type { Color } from '../../protocol/game.js';
import { replay } from './chess.js';
import { clocksInSeconds, giveTime } from './clock.js';
import {
  changed,
  colorOf,
  end,
  isOver,
  opposite,
  playable,
  toJson,
  turnOf,
  unchanged,
  type Game,
  type Transition,
  type Unstamped,
} from './game.js';
import { ok, refuse } from '../result.js';
import { isAbortable } from './play.js';
import { claimableDraw } from './repetition.js';

/** Draw offers, takebacks, more time and rematches: what players propose to each other. */

/** No new draw offer from the same side within this many plies. */
const DRAW_OFFER_EVERY_PLIES = 20;
const MORETIME_MS = 15_000;
const takebackBackOffMs = (declines: number) => Math.min(declines, 10) ** 2 * 10_000;

/** Offer a draw; accept the opponent's; or claim threefold repetition or the fifty-move rule. */
export function drawYes(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  if (game.offers.draw === opposite(color)) return end(game, { status: 'draw', winner: null }, [], now);
  if (claimableDraw(game.positions, game.position.halfmoves))
    return end(game, { status: 'draw', winner: null }, [], now);
  if (game.offers.draw === color) return unchanged(game);
  if (isAbortable(game)) return refuse('not_allowed_now', 'no draw offers before each side has moved; abort instead');
  const last = game.offers.drawOfferedAt[color];
  if (last !== undefined && game.moves.length - last < DRAW_OFFER_EVERY_PLIES)
    return refuse('not_allowed_now', `one draw offer per ${DRAW_OFFER_EVERY_PLIES} plies`);
  const offers = {
    ...game.offers,
    draw: color,
    drawOfferedAt: { ...game.offers.drawOfferedAt, [color]: game.moves.length },
  };
  return changed({ ...game, offers }, [{ t: 'drawOffer', d: { by: color } }]);
}

/** Decline the opponent's offer, or withdraw one's own. */
export function drawNo(game: Game, userId: string | null): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  if (!game.offers.draw) return refuse('not_allowed_now', 'there is no draw offer');
  return changed({ ...game, offers: { ...game.offers, draw: null } }, [{ t: 'drawOffer', d: { by: null } }]);
}

const takebackOffers = (by: Color | null): Unstamped => ({
  t: 'takebackOffers',
  d: { white: by === 'white', black: by === 'black' },
  to: 'players',
});

/** Propose a takeback, or accept the opponent's proposal. */
export function takebackYes(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  if (game.offers.takeback === opposite(color)) return takeBack(game, opposite(color), now);
  if (game.offers.takeback === color) return unchanged(game);
  const whiteMoves = Math.ceil(game.moves.length / 2);
  const ownMoves = color === 'white' ? whiteMoves : game.moves.length - whiteMoves;
  if (ownMoves < 1) return refuse('not_allowed_now', 'you have no move to take back');
  if (now < game.offers.takebackAllowedAt)
    return refuse(
      'not_allowed_now',
      `takebacks were declined; wait ${Math.ceil((game.offers.takebackAllowedAt - now) / 1000)} s`,
    );
  return changed({ ...game, offers: { ...game.offers, takeback: color } }, [takebackOffers(color)]);
}

/** Decline the opponent's proposal (the next one waits longer), or withdraw one's own. */
export function takebackNo(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  const pending = game.offers.takeback;
  if (!pending) return refuse('not_allowed_now', 'there is no takeback proposal');
  const declined = pending !== color;
  const takebackDeclines = game.offers.takebackDeclines + (declined ? 1 : 0);
  const offers = {
    ...game.offers,
    takeback: null,
    takebackDeclines,
    takebackAllowedAt: declined ? now + takebackBackOffMs(takebackDeclines) : game.offers.takebackAllowedAt,
  };
  return changed({ ...game, offers }, [takebackOffers(null)]);
}

/**
 * Rewinds to the proposer's turn before its last move: one ply if the proposer moved last, two
 * if the opponent has answered since. The clocks keep their times; the side to move's runs anew.
 */
function takeBack(game: Game, proposer: Color, now: number): Transition {
  const plies = turnOf(game) === proposer ? 2 : 1;
  const moves = game.moves.slice(0, -plies);
  const { position, sans, fen, positions } = replay(moves);
  const rewound: Game = {
    ...game,
    moves,
    sans,
    clockHistory: game.clockHistory.slice(0, -plies),
    positions,
    position,
    fen,
    lastMoveAt: now,
    lastMoveFrom: {},
    clock: { ...game.clock, runningSince: moves.length >= 2 ? now : null },
    offers: { ...game.offers, takeback: null, draw: null },
  };
  // `reload` carries the state at its own version, the one `stamp` gives it.
  const reload: Unstamped = { t: 'reload', d: { ...toJson(rewound, now), v: rewound.v + 1 } };
  // A pending draw offer lapses with the position it was made in, and everyone is told.
  return changed(rewound, game.offers.draw ? [reload, { t: 'drawOffer', d: { by: null } }] : [reload]);
}

/** Gives the opponent 15 seconds. */
export function moretime(game: Game, userId: string | null, now: number): Transition {
  const playing = playable(game, userId);
  if (!playing.ok) return playing;
  const color = playing.value;
  const clock = giveTime(game.clock, opposite(color), MORETIME_MS);
  return changed({ ...game, clock }, [{ t: 'clock', d: clocksInSeconds(clock, turnOf(game), now) }]);
}

/** After the game: propose a rematch, or accept the opponent's (the caller creates the game). */
export function rematchYes(game: Game, userId: string | null): Transition {
  const color = colorOf(game, userId);
  if (!color) return refuse('not_your_game', 'you do not play this game');
  if (!isOver(game)) return refuse('not_allowed_now', 'the game is not over');
  if (game.offers.next) return refuse('not_allowed_now', 'the rematch has already started');
  if (game.offers.rematch === opposite(color)) return ok({ game, events: [], rematch: true });
  if (game.offers.rematch === color) return unchanged(game);
  return changed({ ...game, offers: { ...game.offers, rematch: color } }, [
    { t: 'rematchOffer', d: { by: color }, to: 'players' },
  ]);
}

export function rematchNo(game: Game, userId: string | null): Transition {
  const color = colorOf(game, userId);
  if (!color) return refuse('not_your_game', 'you do not play this game');
  if (!game.offers.rematch) return refuse('not_allowed_now', 'there is no rematch offer');
  return changed({ ...game, offers: { ...game.offers, rematch: null } }, [
    { t: 'rematchOffer', d: { by: null }, to: 'players' },
  ]);
}

/** The rematch exists: everyone in the room may follow it. */
export function rematchStarted(game: Game, nextId: string): Transition {
  return changed({ ...game, offers: { ...game.offers, rematch: null, next: nextId } }, [
    { t: 'redirect', d: { id: nextId } },
  ]);
}

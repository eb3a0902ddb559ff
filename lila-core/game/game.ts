import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import type { VersionedFrame } from '../../protocol/client-out.js';
import type { Audience } from '../../protocol/core-out.js';
import type { ClockConfig, Color, GameJson, Player, Status } from '../../protocol/game.js';
import { ok, refuse, type Result } from '../result.js';
import type { Ending } from './chess.js';
import { clocksInSeconds, initialClock, stop, type ClockState } from './clock.js';
import { rateGame, ratingDiff, type Glicko, type Pair } from './glicko.js';
import { positionKey } from './repetition.js';

/** A game as lila-core holds it in memory. Transitions are pure: they return a new Game. */
export type Game = {
  id: string;
  players: { white: Player; black: Player };
  clockConfig: ClockConfig;
  clock: ClockState;
  moves: string[];
  sans: string[];
  /** The mover's remaining ms after each move (increment included): PGN `[%clk]`. */
  clockHistory: number[];
  position: Chess;
  fen: string;
  /** Repetition keys of every position so far, the initial one first. */
  positions: string[];
  status: Status;
  winner: Color | null;
  /** The version of the game room: the number of versioned events published to it. */
  v: number;
  /**
   * Versions up to this one may be published without a write: events that change nothing but
   * the version (chat, presence) use them, and a restart resumes after them (games.ts). Absent
   * until the game's first such event: a game without any resumes exactly where it was.
   */
  reserved?: number;
  createdAt: number;
  /** When the last move was played (the game's creation before any): the first-move limit. */
  lastMoveAt: number;
  /** Each side's last move as its socket stamped it, so that a move sent twice is played once. */
  lastMoveFrom: Partial<Record<Color, MoveOrigin>>;
  offers: Offers;
  rated: boolean;
  /** A rated game's snapshot of both players' ratings for its speed, taken when it was created. */
  ratings?: Pair<Glicko>;
  /** Their ratings after it: set when a rated game ends other than aborted. */
  ratingsAfter?: Pair<Glicko>;
  /** A tournament game: its tournament, and whether its players may berserk (berserk.ts). */
  tournament?: TournamentSeat;
  /** The sides that went berserk: half their base time gone, no increment (clock.ts `incrementOf`). */
  berserk?: Partial<Record<Color, true>>;
};

/** What a game knows of its tournament (lila-core/tournament/). */
export type TournamentSeat = { id: string; berserkable: boolean };

export type Offers = {
  /** A pending draw offer, and the ply of each side's last offer (no new one within 20 plies). */
  draw: Color | null;
  drawOfferedAt: Partial<Record<Color, number>>;
  takeback: Color | null;
  /** Each declined takeback makes the next wait longer; proposals are refused before this time. */
  takebackDeclines: number;
  takebackAllowedAt: number;
  rematch: Color | null;
  /** The rematch's game id, once accepted. */
  next: string | null;
};

/** The socket and ack id of a move (and, once played, the move). */
export type MoveOrigin = { sid: string; a: number; u?: string };

/** A frame of the union without its version, member by member (a plain Omit would merge them). */
type Unversioned<F> = F extends unknown ? Omit<F, 'v'> : never;
/** A room event before its version: the frame without `v`, and who sees it in full. */
export type Unstamped = Unversioned<VersionedFrame> & { to?: Audience };
/** A room event as published: `frame` carries `v`. */
export type GameEvent = { to?: Audience; frame: VersionedFrame };

/**
 * What a transition does: the game after it and the events that tell so. With no events the
 * game is unchanged (a move sent again, already played). `rematch` asks the caller to create the
 * rematch game (transitions create nothing themselves). `versionOnly`: the events change nothing
 * stored but the version (chat, presence), so no write is needed within the reservation.
 */
export type Change = { game: Game; events: GameEvent[]; rematch?: true; versionOnly?: true };
/** A transition, accepted or refused. */
export type Transition = Result<Change>;

export const unchanged = (game: Game): Transition => ok({ game, events: [] });

/** Stamps events with the versions that follow the game's, and moves the game to the last. */
export function stamp(game: Game, events: Unstamped[]): Change {
  const stamped = events.map(({ to, ...frame }, i): GameEvent => ({
    ...(to ? { to } : {}),
    // `t`, `v`, then `d`: the order every frame has on the wire (assign keeps `t` where it is).
    frame: Object.assign({ t: frame.t, v: game.v + i + 1 }, frame),
  }));
  return { game: { ...game, v: game.v + events.length }, events: stamped };
}

export const changed = (game: Game, events: Unstamped[]): Transition => ok(stamp(game, events));

/** Events that leave the stored game as it was but for its version: chat lines, presence. */
export const announced = (game: Game, events: Unstamped[]): Transition =>
  ok({ ...stamp(game, events), versionOnly: true });

export const noOffers = (): Offers => ({
  draw: null,
  drawOfferedAt: {},
  takeback: null,
  takebackDeclines: 0,
  takebackAllowedAt: 0,
  rematch: null,
  next: null,
});

/** A game about to start from the initial position; rated when given the players' ratings. */
export function newGame(
  id: string,
  players: { white: Player; black: Player },
  clockConfig: ClockConfig,
  now: number,
  ratings?: Pair<Glicko>,
  tournament?: TournamentSeat,
): Game {
  const position = Chess.default();
  return {
    id,
    players,
    clockConfig,
    clock: initialClock(clockConfig),
    moves: [],
    sans: [],
    clockHistory: [],
    position,
    fen: makeFen(position.toSetup()),
    positions: [positionKey(position)],
    status: 'started',
    winner: null,
    v: 0,
    createdAt: now,
    lastMoveAt: now,
    lastMoveFrom: {},
    offers: noOffers(),
    rated: ratings !== undefined,
    ...(ratings ? { ratings } : {}),
    ...(tournament ? { tournament } : {}),
  };
}

export const opposite = (color: Color): Color => (color === 'white' ? 'black' : 'white');
export const turnOf = (game: Game): Color => game.position.turn;
export const isOver = (game: Game): boolean => game.status !== 'started';

export function colorOf(game: Game, userId: string | null): Color | undefined {
  // Stryker disable next-line ConditionalExpression: no player's id is null, so the lookups below say undefined too
  if (userId === null) return undefined;
  if (game.players.white.id === userId) return 'white';
  if (game.players.black.id === userId) return 'black';
  return undefined;
}

/** The player's colour, or why they may not act on this game now. */
export function playable(game: Game, userId: string | null): Result<Color> {
  const color = colorOf(game, userId);
  if (!color) return refuse('not_your_game', 'you do not play this game');
  if (isOver(game)) return refuse('game_over', `the game is over (${game.status})`);
  return ok(color);
}

/**
 * Ends the game at `now`: the side to move is charged for its turn so far, the clock stops,
 * pending offers lapse, a rated game rates both players, and `end` follows `before`.
 */
export function end(game: Game, ending: Ending, before: Unstamped[], now: number): Transition {
  const clock = stop(game.clock, turnOf(game), now);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a game has ratings iff it is rated (newGame)
  const rated = game.rated && game.ratings && ending.status !== 'aborted' ? game.ratings : undefined;
  const ratingsAfter = rated && rateGame(rated, ending.winner);
  const ended: Game = {
    ...game,
    status: ending.status,
    winner: ending.winner,
    clock,
    offers: { ...game.offers, draw: null, takeback: null },
    ...(ratingsAfter ? { ratingsAfter } : {}),
  };
  const d = {
    winner: ending.winner,
    status: ending.status,
    clock: clocksInSeconds(clock, turnOf(game), now),
    // Unrated games keep the frame they always had: no key at all.
    ...(rated && ratingsAfter ? { ratingDiff: ratingDiff(rated, ratingsAfter) } : {}),
  };
  return changed(ended, [...before, { t: 'end', d }]);
}

/** `GET /api/game/:id`, and the `d` of the `state` and `reload` frames. */
export function toJson(game: Game, now: number): GameJson {
  return {
    id: game.id,
    players: game.players,
    clock: game.clockConfig,
    clocks: clocksInSeconds(game.clock, turnOf(game), now),
    moves: game.moves,
    sans: game.sans,
    fen: game.fen,
    status: game.status,
    winner: game.winner,
    v: game.v,
    // Other games keep the JSON they always had: no such keys.
    ...(game.tournament ? { tournament: game.tournament.id } : {}),
    ...(game.berserk ? { berserk: game.berserk } : {}),
  };
}

import { Chess } from 'chessops/chess';
import { makeFen } from 'chessops/fen';
import type { ClientOutOf, ErrorCode } from '../../protocol/client-out.js';
import type { ClockConfig, Color, GameJson, Player, Status } from '../../protocol/game.js';
import { playUci, type Outcome } from './chess.js';
import { clocksInSeconds, initialClock, punch, timeLeft, type ClockState } from './clock.js';

/** A game as lila-core holds it in memory. Transitions are pure: they return a new Game. */
export type Game = {
  id: string;
  players: { white: Player; black: Player };
  clockConfig: ClockConfig;
  clock: ClockState;
  moves: string[];
  sans: string[];
  position: Chess;
  fen: string;
  status: Status;
  winner: Color | null;
  /** The version of the game room: the number of events published to it. */
  v: number;
  createdAt: number;
  /** Each side's last move as its socket stamped it, so that a move sent twice is played once. */
  lastMoveFrom: Partial<Record<Color, MoveOrigin>>;
};

/** The socket and ack id of a move. */
export type MoveOrigin = { sid: string; a: number };

/** Room events, stamped with the version they make. */
export type GameEvent = ClientOutOf<'move'> | ClientOutOf<'end'>;

export type Refusal = { code: ErrorCode; message: string };
/** A transition with no events left the game as it was (a move sent again, already played). */
export type Transition = { ok: true; game: Game; events: GameEvent[] } | { ok: false; refusal: Refusal };

const refuse = (code: ErrorCode, message: string): Transition => ({ ok: false, refusal: { code, message } });

/** A game about to start from the initial position. */
export function newGame(
  id: string,
  players: { white: Player; black: Player },
  clockConfig: ClockConfig,
  now: number,
): Game {
  const position = Chess.default();
  return {
    id,
    players,
    clockConfig,
    clock: initialClock(clockConfig),
    moves: [],
    sans: [],
    position,
    fen: makeFen(position.toSetup()),
    status: 'started',
    winner: null,
    v: 0,
    createdAt: now,
    lastMoveFrom: {},
  };
}

export const turnOf = (game: Game): Color => game.position.turn;
export const isOver = (game: Game): boolean => game.status !== 'started';

export function colorOf(game: Game, userId: string | null): Color | undefined {
  if (userId === null) return undefined;
  if (game.players.white.id === userId) return 'white';
  if (game.players.black.id === userId) return 'black';
  return undefined;
}

/** Ends the game at `now`: the side to move is charged for its turn so far, then the clock stops. */
function end(game: Game, outcome: Outcome, events: GameEvent[], now: number): Transition {
  const v = game.v + 1;
  const turn = turnOf(game);
  const remaining = { ...game.clock.remaining, [turn]: Math.max(0, timeLeft(game.clock, turn, turn, now)) };
  const ended: Game = {
    ...game,
    status: outcome.status,
    winner: outcome.winner,
    v,
    clock: { remaining, runningSince: null },
  };
  return {
    ok: true,
    game: ended,
    events: [...events, { t: 'end', v, d: { winner: outcome.winner, status: outcome.status } }],
  };
}

function playable(game: Game, userId: string | null): Refusal | Color {
  const color = colorOf(game, userId);
  if (!color) return { code: 'not_your_game', message: 'you do not play this game' };
  if (isOver(game)) return { code: 'game_over', message: `the game is over (${game.status})` };
  return color;
}

const sentAgain = (game: Game, color: Color, origin: MoveOrigin) => {
  const last = game.lastMoveFrom[color];
  return last !== undefined && last.sid === origin.sid && origin.a <= last.a;
};

export function move(game: Game, userId: string | null, uci: string, now: number, origin?: MoveOrigin): Transition {
  const player = colorOf(game, userId);
  if (player && origin && sentAgain(game, player, origin)) return { ok: true, game, events: [] };
  const color = playable(game, userId);
  if (typeof color !== 'string') return { ok: false, refusal: color };
  if (color !== turnOf(game)) return refuse('not_your_turn', 'it is not your turn');

  const punched = punch(game.clock, game.clockConfig, color, game.moves.length, now);
  if (!punched.ok) {
    const opponent = color === 'white' ? 'black' : 'white';
    // Flagged against a lone king (or too little to mate): a draw, as the rules say.
    const winner = hasMatingMaterial(game, opponent) ? opponent : null;
    return end(game, { status: 'outoftime', winner }, [], now);
  }
  const played = playUci(game.position, uci);
  if (!played.ok) return refuse('illegal_move', played.message);

  const v = game.v + 1;
  const lastMoveFrom = { ...game.lastMoveFrom };
  if (origin) lastMoveFrom[color] = origin;
  else delete lastMoveFrom[color];
  const next: Game = {
    ...game,
    lastMoveFrom,
    clock: punched.clock,
    moves: [...game.moves, uci],
    sans: [...game.sans, played.san],
    position: played.position,
    fen: played.fen,
    v,
  };
  const clock = clocksInSeconds(next.clock, turnOf(next), now);
  const moved: GameEvent = {
    t: 'move',
    v,
    d: { ply: next.moves.length, uci, san: played.san, fen: played.fen, clock },
  };
  return played.outcome ? end(next, played.outcome, [moved], now) : { ok: true, game: next, events: [moved] };
}

export function resign(game: Game, userId: string | null, now: number): Transition {
  const color = playable(game, userId);
  if (typeof color !== 'string') return { ok: false, refusal: color };
  return end(game, { status: 'resign', winner: color === 'white' ? 'black' : 'white' }, [], now);
}

const hasMatingMaterial = (game: Game, color: Color): boolean => !game.position.hasInsufficientMaterial(color);

/** `GET /api/game/:id`, and the `d` of the `state` frame. */
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
  };
}

import type { ClockConfig, Color, Player, Status } from '../../protocol/game.js';
import { replay } from './chess.js';
import { initialClock } from './clock.js';
import { noOffers, type Game, type Offers } from './game.js';
import type { Glicko, Pair } from './glicko.js';

/** How a game is stored. Positions, SANs and FEN are derived from `moves` on load. */
export type GameDoc = {
  _id: string;
  players: { white: Player; black: Player };
  clock: ClockConfig;
  moves: string[];
  status: Status;
  winner: Color | null;
  v: number;
  /** Versions up to this one may have been published (reservation.ts). */
  reserved?: number;
  /** Remaining milliseconds of each side at the start of the current turn. */
  remaining: { white: number; black: number };
  runningSince: Date | null;
  lagQuota?: { white: number; black: number };
  /** The mover's remaining ms after each move. */
  clockHistory?: number[];
  lastMoveAt?: Date;
  lastMoveFrom?: Game['lastMoveFrom'];
  offers?: Offers;
  rated?: boolean;
  ratings?: Pair<Glicko>;
  ratingsAfter?: Pair<Glicko>;
  /** A tournament game's tournament, and the sides that went berserk. */
  tournament?: Game['tournament'];
  berserk?: Game['berserk'];
  /** Both players' ids, for a user's games through the `{ userIds, createdAt, _id }` index. */
  userIds?: string[];
  createdAt: Date;
  updatedAt: Date;
  /** The id of the write that stored this state: how a save in doubt is told to have landed. */
  w?: string;
};

export const toDoc = (game: Game, now: number, w?: string): GameDoc => ({
  _id: game.id,
  players: game.players,
  clock: game.clockConfig,
  moves: game.moves,
  status: game.status,
  winner: game.winner,
  v: game.v,
  ...(game.reserved === undefined ? {} : { reserved: game.reserved }),
  remaining: game.clock.remaining,
  runningSince: game.clock.runningSince === null ? null : new Date(game.clock.runningSince),
  lagQuota: game.clock.lagQuota,
  clockHistory: game.clockHistory,
  lastMoveAt: new Date(game.lastMoveAt),
  lastMoveFrom: game.lastMoveFrom,
  offers: game.offers,
  rated: game.rated,
  ...(game.ratings ? { ratings: game.ratings } : {}),
  ...(game.ratingsAfter ? { ratingsAfter: game.ratingsAfter } : {}),
  ...(game.tournament ? { tournament: game.tournament } : {}),
  ...(game.berserk ? { berserk: game.berserk } : {}),
  userIds: [game.players.white.id, game.players.black.id],
  createdAt: new Date(game.createdAt),
  updatedAt: new Date(now),
  ...(w === undefined ? {} : { w }),
});

export function fromDoc(doc: GameDoc): Game {
  const { position, sans, fen, positions } = replay(doc.moves);
  return {
    id: doc._id,
    players: doc.players,
    clockConfig: doc.clock,
    clock: {
      remaining: doc.remaining,
      runningSince: doc.runningSince?.getTime() ?? null,
      lagQuota: doc.lagQuota ?? initialClock(doc.clock).lagQuota,
    },
    moves: doc.moves,
    sans,
    clockHistory: doc.clockHistory ?? [],
    position,
    fen,
    positions,
    status: doc.status,
    winner: doc.winner,
    v: doc.v,
    ...(doc.reserved === undefined ? {} : { reserved: doc.reserved }),
    createdAt: doc.createdAt.getTime(),
    lastMoveAt: (doc.lastMoveAt ?? doc.updatedAt).getTime(),
    lastMoveFrom: doc.lastMoveFrom ?? {},
    offers: { ...noOffers(), ...doc.offers },
    rated: doc.rated ?? false,
    ...(doc.ratings ? { ratings: doc.ratings } : {}),
    ...(doc.ratingsAfter ? { ratingsAfter: doc.ratingsAfter } : {}),
    ...(doc.tournament ? { tournament: doc.tournament } : {}),
    ...(doc.berserk ? { berserk: doc.berserk } : {}),
  };
}

import { Room } from '../../protocol/channels.js';
import type { ClockConfig, Player } from '../../protocol/game.js';
import type { Publisher } from '../publish.js';
import type { Game, TournamentSeat } from './game.js';
import type { Games } from './games.js';
import type { Pair } from './glicko.js';
import { rematchStarted } from './offers.js';

/**
 * A game to start: its players (colours given), its clock, and the game it is a rematch of, if any,
 * or the tournament it is played in.
 */
export type GameToStart = {
  players: Pair<Player>;
  clock: ClockConfig;
  rated: boolean;
  rematchOf?: string;
  tournament?: TournamentSeat;
};

/**
 * The one way a game starts, whatever made it (a seek accepted, a pool pairing, a challenge
 * accepted, a rematch, a tournament pairing): the game is created (a rated one snapshots both ratings), both players
 * leave the lobby (their seeks die, they leave the pools), then both are sent to it on their own
 * channels, every tab of theirs. A rematch instead sends its old room along first (a versioned
 * `redirect`), and leaves the lobby alone: its players left it when the game before started.
 * Throws if the game cannot be created or stored; nobody has been sent anywhere then.
 */
export function createGameStarter(
  games: Games,
  publish: Publisher,
  leaveLobby: (userIds: string[]) => Promise<unknown>,
) {
  return async ({ players, clock, rated, rematchOf, tournament }: GameToStart): Promise<Game> => {
    const game = await games.create(players, clock, { rated, ...(tournament && { tournament }) });
    const userIds = [players.white.id, players.black.id];
    if (rematchOf) await games.act(rematchOf, (old) => rematchStarted(old, game.id));
    else await leaveLobby(userIds);
    const redirect = { t: 'redirect', d: { id: game.id } } as const;
    await Promise.all(userIds.map((id) => publish.room(Room.user(id), redirect)));
    return game;
  };
}
export type StartGame = ReturnType<typeof createGameStarter>;

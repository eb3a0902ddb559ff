import { isOver, type Game } from './game.js';

/**
 * Who plays a game in memory not yet over, by user id: `isPlaying` without a scan of every live
 * game (asked for every id of `/api/users/status`).
 */
export function createPlayingIndex() {
  const gamesOf = new Map<string, Set<string>>();
  return {
    /** The game as it now is: its players play it until it is over. */
    note(game: Game): void {
      for (const { id } of [game.players.white, game.players.black]) {
        const ids = gamesOf.get(id) ?? new Set<string>();
        if (isOver(game)) ids.delete(game.id);
        else ids.add(game.id);
        if (ids.size) gamesOf.set(id, ids);
        else gamesOf.delete(id);
      }
    },
    has: (userId: string): boolean => gamesOf.has(userId),
  };
}

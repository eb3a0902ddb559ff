import { randomId } from '../ids.js';
import { doubtOf, type Doubt } from './doubt.js';
import type { Game, GameEvent } from './game.js';
import type { GameRepo } from './repo.js';
import { NotSaved } from './save-errors.js';
import { settle } from './settle.js';

/**
 * The saves of the live games (games.ts), and the doubts they leave: a save that fails may have
 * landed all the same. Memory then stays as it was, nothing is published, and the database
 * decides (settle.ts) before the game does anything else: if the write landed, its events are
 * due after the last version published and its sender hears success; if not, it is fenced off,
 * the game goes on as stored (`adopt`), and its sender hears `unavailable` (NotSaved). While
 * the database cannot tell, the sender hears nothing (SaveUnsettled) and the doubt stays.
 */
export function createSaves(
  repo: GameRepo,
  now: () => number,
  /** The game as stored replaces the one in memory, whose room is published up to `publishedV`. */
  adopt: (stored: Game, publishedV: number) => void,
) {
  /** Saves in doubt, by game: each settled before its game's next action. */
  const doubts = new Map<string, Doubt>();

  /** True if the write landed (the caller commits it); else the game is adopted as stored. */
  const settleDoubt = async (doubt: Doubt): Promise<boolean> => {
    const settled = await settle(repo, doubt, now());
    doubts.delete(doubt.before.id);
    if (!settled.landed) adopt(settled.game, doubt.before.v);
    return settled.landed;
  };

  return {
    /** Stores `next`, following `game`. Throws NotSaved, or SaveUnsettled (the doubt stays). */
    async save(game: Game, next: Game, events: GameEvent[]): Promise<void> {
      const w = randomId(12);
      try {
        return await repo.update(game, next, now(), w);
      } catch (err) {
        // Refused before any write (the journal full): the database is as the game in memory.
        if (err instanceof NotSaved) throw err;
        const doubt = doubtOf(w, game, next, events);
        doubts.set(game.id, doubt);
        if (!(await settleDoubt(doubt))) throw new NotSaved(`game ${game.id}: the save did not land`);
      }
    },

    /**
     * Settles the game's save in doubt, if any: the doubt if its write landed (its state and
     * events are the caller's to commit, its sender unanswered so far), else undefined.
     * Throws SaveUnsettled while the database cannot tell.
     */
    async settle(id: string): Promise<Doubt | undefined> {
      const doubt = doubts.get(id);
      return doubt && (await settleDoubt(doubt)) ? doubt : undefined;
    },

    /** Games with a save in doubt. */
    get inDoubt(): number {
      return doubts.size;
    },
  };
}

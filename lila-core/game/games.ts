import { Room } from '../../protocol/channels.js';
import type { ClockConfig, Player } from '../../protocol/game.js';
import { randomId } from '../../src/ids.js';
import type { Publisher } from '../publish.js';
import { createSerial } from '../serial.js';
import { isOver, newGame, type Game, type Transition } from './game.js';
import type { GameRepo } from './repo.js';

/** How long a finished game stays in memory after its last action. */
const KEEP_FINISHED_MS = 60_000;

/**
 * The live games: held in memory, every change written to MongoDB before its events are
 * published, actions on one game run one at a time.
 */
export function createGames(repo: GameRepo, publish: Publisher, now: () => number) {
  const live = new Map<string, Game>();
  const serial = createSerial();
  const forget = new Map<string, NodeJS.Timeout>();

  const keep = (game: Game) => {
    live.set(game.id, game);
    clearTimeout(forget.get(game.id));
    if (isOver(game))
      forget.set(game.id, setTimeout(() => live.delete(game.id) && forget.delete(game.id), KEEP_FINISHED_MS).unref());
  };

  const load = async (id: string): Promise<Game | undefined> => {
    const inMemory = live.get(id);
    if (inMemory) return inMemory;
    const stored = await repo.find(id);
    if (stored) keep(stored);
    return stored;
  };

  return {
    /** Loads every unfinished game, so they continue with their versions after a restart. */
    async restore(): Promise<number> {
      const games = await repo.unfinished();
      games.forEach(keep);
      return games.length;
    },

    async create(players: { white: Player; black: Player }, clockConfig: ClockConfig): Promise<Game> {
      const game = newGame(randomId(8), players, clockConfig, now());
      await repo.insert(game, now());
      keep(game);
      return game;
    },

    /** Reads a game inside its queue, so what is read agrees with the events published around it. */
    read<T>(id: string, use: (game: Game | undefined) => T | Promise<T>): Promise<T> {
      return serial(id, async () => use(await load(id)));
    },

    /**
     * Applies a transition: on success, persists the new state, then publishes its events to the
     * game room. Returns the refusal, if any, for the caller to tell the sender.
     */
    act(id: string, transition: (game: Game, at: number) => Transition): Promise<Transition | undefined> {
      return serial(id, async () => {
        const game = await load(id);
        if (!game) return undefined;
        const result = transition(game, now());
        if (!result.ok || result.game === game) return result;
        await repo.update(game.v, result.game, now());
        keep(result.game);
        // One connection keeps them in order; no need to wait for each before the next.
        await Promise.all(result.events.map((event) => publish.room(Room.game(id), event)));
        return result;
      });
    },

    get liveCount(): number {
      let n = 0;
      for (const game of live.values()) if (!isOver(game)) n++;
      return n;
    },
  };
}
export type Games = ReturnType<typeof createGames>;

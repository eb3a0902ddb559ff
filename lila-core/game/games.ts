import { Room } from '../../protocol/channels.js';
import type { ClockConfig, Player } from '../../protocol/game.js';
import { randomId } from '../../src/ids.js';
import type { Publisher } from '../publish.js';
import { createSerial } from '../serial.js';
import type { Clock } from '../../src/clock.js';
import { isOver, newGame, type Game, type Transition } from './game.js';
import { deadline, tick } from './play.js';
import type { GameRepo } from './repo.js';

/** How long a finished game stays in memory after its last action. */
const KEEP_FINISHED_MS = 60_000;

/**
 * The live games: held in memory, every change written to MongoDB before its events are
 * published, actions on one game run one at a time. Each live game has one timer, set for the
 * next moment time alone changes it (a flag, a first move that never came); it survives restarts
 * because it is derived from the stored clock.
 */
export function createGames(repo: GameRepo, publish: Publisher, clock: Clock) {
  const now = () => clock.now();
  const live = new Map<string, Game>();
  const serial = createSerial();
  const timers = new Map<string, () => void>();

  const keep = (game: Game) => {
    live.set(game.id, game);
    timers.get(game.id)?.();
    const due = deadline(game);
    const at = due ?? now() + KEEP_FINISHED_MS;
    timers.set(game.id, clock.at(at, due === null ? () => live.delete(game.id) : () => timeMoves(game.id)));
  };

  /** Time alone changes the game; if that cannot be saved now, it is tried again a second later. */
  const timeMoves = (id: string): Promise<unknown> =>
    act(id, tick).catch(() =>
      timers.set(
        id,
        clock.at(now() + 1000, () => timeMoves(id)),
      ),
    );

  const load = async (id: string): Promise<Game | undefined> => {
    const inMemory = live.get(id);
    if (inMemory) return inMemory;
    const stored = await repo.find(id);
    if (stored) keep(stored);
    return stored;
  };

  /**
   * Applies a transition: on success, persists the new state, then publishes its events to the
   * game room. Returns the refusal, if any, for the caller to tell the sender.
   */
  function act(id: string, transition: (game: Game, at: number) => Transition): Promise<Transition | undefined> {
    return serial(id, async () => {
      const game = await load(id);
      if (!game) return undefined;
      const result = transition(game, now());
      if (!result.ok || result.game === game) return result;
      await repo.update(game.v, result.game, now());
      keep(result.game);
      // One connection keeps them in order; no need to wait for each before the next.
      await Promise.all(result.events.map((event) => publish.event(Room.game(id), event)));
      return result;
    });
  }

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

    act,

    get liveCount(): number {
      let n = 0;
      for (const game of live.values()) if (!isOver(game)) n++;
      return n;
    },
  };
}
export type Games = ReturnType<typeof createGames>;

import { Room } from '../../protocol/channels.js';
import { isAnonymous, type ClockConfig, type Player } from '../../protocol/game.js';
import type { RatedSpeed } from '../../protocol/user.js';
import { randomId } from '../ids.js';
import type { Publisher } from '../publish.js';
import { createSerial } from '../serial.js';
import type { Clock } from '../time.js';
import { ratedSpeedOf } from './clock.js';
import { isOver, newGame, type Game, type Transition } from './game.js';
import type { Glicko, Pair } from './glicko.js';
import { deadline, tick } from './play.js';
import type { GameRepo } from './repo.js';

/** How long a finished game stays in memory after its last action. */
const KEEP_FINISHED_MS = 60_000;

/** What games need from the users (lila-core/users/ratings.ts). */
export type GameHooks = {
  /** Both players' current ratings at `speed`: the snapshot a rated game is created with. */
  ratings?: (players: Pair<Player>, speed: RatedSpeed) => Promise<Pair<Glicko>>;
  /** A game just ended, other than aborted, and is stored. Meant never to reject. */
  onEnd?: (game: Game) => Promise<void>;
};

/**
 * The live games: held in memory, every change written to MongoDB before its events are
 * published, actions on one game run one at a time. Each live game has one timer, set for the
 * next moment time alone changes it (a flag, a first move that never came); it survives restarts
 * because it is derived from the stored clock.
 */
export function createGames(repo: GameRepo, publish: Publisher, clock: Clock, hooks: GameHooks = {}) {
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
      if (!result.ok || result.value.game === game) return result;
      const { game: next, events } = result.value;
      await repo.update(game.v, next, now());
      keep(next);
      // Before the events: a player who sees `end` then asks for their rating gets the new one.
      // The result is stored whatever happens to the ratings, and `onEnd` logs its own failures
      // (it is meant never to reject): nothing here to hold back or to tell.
      if (hooks.onEnd && !isOver(game) && isOver(next) && next.status !== 'aborted')
        await hooks.onEnd(next).catch(() => undefined);
      // One connection keeps them in order; no need to wait for each before the next.
      await Promise.all(events.map((event) => publish.event(Room.game(id), event)));
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

    /** A new game; a rated one snapshots both players' ratings. Throws if rated with an anonymous player. */
    async create(players: Pair<Player>, clockConfig: ClockConfig, options: { rated?: boolean } = {}): Promise<Game> {
      let ratings: Pair<Glicko> | undefined;
      if (options.rated) {
        if (isAnonymous(players.white.id) || isAnonymous(players.black.id))
          throw new Error('a rated game needs two accounts');
        if (!hooks.ratings) throw new Error('rated games need the users');
        ratings = await hooks.ratings(players, ratedSpeedOf(clockConfig));
      }
      const game = newGame(randomId(8), players, clockConfig, now(), ratings);
      await repo.insert(game, now());
      keep(game);
      return game;
    },

    /** Reads a game inside its queue, so what is read agrees with the events published around it. */
    read<T>(id: string, use: (game: Game | undefined) => T | Promise<T>): Promise<T> {
      return serial(id, async () => use(await load(id)));
    },

    act,

    /** The game's latest version, read in its queue (undefined: no such game). */
    version: (id: string): Promise<number | undefined> => serial(id, async () => (await load(id))?.v),

    /** A page of a user's games, newest first, as stored (every change is stored before it is seen). */
    async byUser(userId: string, page: number) {
      const found = await repo.byUser(userId, page);
      // A live game's document lags its journal: the game in memory is the latest.
      return { ...found, games: found.games.map((game) => live.get(game.id) ?? game) };
    },

    /** Whether the user plays a game in progress (of those in memory: every unfinished one is). */
    isPlaying(userId: string): boolean {
      for (const game of live.values())
        if (!isOver(game) && (game.players.white.id === userId || game.players.black.id === userId)) return true;
      return false;
    },

    get liveCount(): number {
      let n = 0;
      for (const game of live.values()) if (!isOver(game)) n++;
      return n;
    },
  };
}
export type Games = ReturnType<typeof createGames>;

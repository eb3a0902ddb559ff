import { Room } from '../../protocol/channels.js';
import { isAnonymous, type ClockConfig, type Player } from '../../protocol/game.js';
import type { RatedSpeed } from '../../protocol/user.js';
import { randomId } from '../ids.js';
import type { Publisher } from '../publish.js';
import { createSerial } from '../serial.js';
import type { Clock } from '../time.js';
import { ratedSpeedOf } from './clock.js';
import { resumeAfter } from './doubt.js';
import { isOver, newGame, type Game, type GameEvent, type TournamentSeat, type Transition } from './game.js';
import type { Glicko, Pair } from './glicko.js';
import { deadline, tick } from './play.js';
import { createPlayingIndex } from './playing.js';
import type { GameRepo } from './repo.js';
import { toStore } from './reservation.js';
import { SaveUnsettled } from './save-errors.js';
import { createSaves } from './saves.js';

/** How long a finished game stays in memory after its last action. */
const KEEP_FINISHED_MS = 60_000;

/**
 * Client actions that may wait on one game at a time; past it they are refused `unavailable`.
 * A room's real traffic is two players' moves and offers (one or two at a time) and chat, at most
 * 5 lines per user in 10 s: a thousand covers the busiest room through a database stall of
 * seconds, and bounds what a flood can hold in memory (a closure and an envelope, ~1 KB each).
 */
export const GAME_QUEUE_LIMIT = 1_000;

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
 * A save that fails may have landed all the same: the database decides before the game's next
 * action (saves.ts).
 */
export function createGames(
  repo: GameRepo,
  publish: Publisher,
  clock: Clock,
  hooks: GameHooks = {},
  limits: { queueLimit?: number } = {},
) {
  const now = () => clock.now();
  const live = new Map<string, Game>();
  const serial = createSerial(limits.queueLimit ?? GAME_QUEUE_LIMIT);
  /** One per game in memory, never more: a game leaves memory with its timer. */
  const timers = new Map<string, () => void>();
  const evicted: ((id: string) => void)[] = [];
  const playing = createPlayingIndex();

  const keep = (game: Game) => {
    live.set(game.id, game);
    playing.note(game);
    timers.get(game.id)?.();
    const due = deadline(game);
    const at = due ?? now() + KEEP_FINISHED_MS;
    timers.set(game.id, clock.at(at, due === null ? () => evict(game.id) : () => timeMoves(game.id)));
  };

  /** A finished game left alone for a while leaves memory; it is read again from storage if need be. */
  const evict = (id: string) => {
    live.delete(id);
    timers.delete(id);
    for (const listener of evicted) listener(id);
  };

  /** Versions of a game's room that no socket needs, kept as `{"v":N}` for relays that ask. */
  const fill = (id: string) => (from: number, to: number) => publish.fill(Room.game(id), from, to);
  /**
   * A game read from storage resumes after the versions its last write reserved: the previous
   * process may have published some of them. Those relays missed are filled as `{"v":N}`.
   */
  const resume = (game: Game): Game => resumeAfter(game, game.v, fill(game.id));

  const saves = createSaves(repo, now, (stored, publishedV) => keep(resumeAfter(stored, publishedV, fill(stored.id))));

  /** `before` became `next`, stored: kept, its end told to the users, then its events sent in order. */
  const commit = async (before: Game, next: Game, events: GameEvent[]): Promise<Promise<unknown>[]> => {
    keep(next);
    // Before the events: a player who sees `end` then asks for their rating gets the new one.
    // The result is stored whatever happens to the ratings, and `onEnd` logs its own failures
    // (it is meant never to reject): nothing here to hold back or to tell.
    if (hooks.onEnd && !isOver(before) && isOver(next) && next.status !== 'aborted')
      await hooks.onEnd(next).catch(() => undefined);
    // Sent in order on one connection: the game's next action need not wait for Redis to answer.
    return events.map((event) => publish.event(Room.game(next.id), event));
  };

  /** Time alone changes the game; if that cannot be saved now, it is tried again a second later. */
  const timeMoves = (id: string): Promise<unknown> =>
    act(id, tick).catch(() =>
      timers.set(
        id,
        clock.at(now() + 1000, () => timeMoves(id)),
      ),
    );

  /** The game to act on: a save in doubt settled first (SaveUnsettled if it cannot be yet). */
  const load = async (id: string): Promise<Game | undefined> => {
    const doubt = await saves.settle(id);
    if (doubt) {
      const sends = await commit(doubt.before, doubt.written, doubt.events);
      // Its sender was not answered; a relay sends the move again and hears it played. A publish
      // lost to Redis is a gap that relays repair by asking for versions (publish.ts `replay`).
      void Promise.all(sends).catch(() => undefined);
    }
    const inMemory = live.get(id);
    if (inMemory) return inMemory;
    const stored = await repo.find(id);
    if (!stored) return undefined;
    const game = resume(stored);
    keep(game);
    return game;
  };

  /** The game as published: settled if in doubt, else as it was before the save in doubt. */
  const asPublished = (id: string): Promise<Game | undefined> =>
    load(id).catch((err: unknown) => {
      const before = live.get(id);
      if (err instanceof SaveUnsettled && before) return before;
      throw err;
    });

  /**
   * Applies a transition: on success, persists the new state (unless only its version moved,
   * within the reservation), then publishes its events to the game room. Resolves once they are
   * published, with the refusal, if any, for the caller to tell the sender. `bounded`: a client's
   * action, refused with QueueFull when too many wait on this game.
   */
  async function act(
    id: string,
    transition: (game: Game, at: number) => Transition,
    o: { bounded?: boolean } = {},
  ): Promise<Transition | undefined> {
    let published: Promise<unknown> = Promise.resolve();
    const result = await serial(
      id,
      async () => {
        const game = await load(id);
        if (!game) return undefined;
        const result = transition(game, now());
        if (!result.ok || result.value.game === game) return result;
        const stored = toStore(game, result.value);
        if (stored) await saves.save(game, stored, result.value.events);
        published = Promise.all(await commit(game, stored ?? result.value.game, result.value.events));
        // Handled below, once the queue has let go: this only keeps a fast failure from counting as unhandled.
        published.catch(() => undefined);
        return result;
      },
      o,
    );
    await published;
    return result;
  }

  return {
    /** Loads every unfinished game, so they continue with their versions after a restart. */
    async restore(): Promise<number> {
      const games = (await repo.unfinished()).map(resume);
      games.forEach(keep);
      return games.length;
    },

    /** A new game; a rated one snapshots both players' ratings. Throws if rated with an anonymous player. */
    async create(
      players: Pair<Player>,
      clockConfig: ClockConfig,
      options: { rated?: boolean; tournament?: TournamentSeat } = {},
    ): Promise<Game> {
      let ratings: Pair<Glicko> | undefined;
      if (options.rated) {
        if (isAnonymous(players.white.id) || isAnonymous(players.black.id))
          throw new Error('a rated game needs two accounts');
        if (!hooks.ratings) throw new Error('rated games need the users');
        ratings = await hooks.ratings(players, ratedSpeedOf(clockConfig));
      }
      const game = newGame(randomId(8), players, clockConfig, now(), ratings, options.tournament);
      await repo.insert(game, now());
      keep(game);
      return game;
    },

    /** Reads a game inside its queue, so what is read agrees with the events published around it. */
    read<T>(id: string, use: (game: Game | undefined) => T | Promise<T>): Promise<T> {
      return serial(id, async () => use(await asPublished(id)));
    },

    act,

    /** The game if it is in memory (every unfinished game is), without reading storage or queueing. */
    peek: (id: string): Game | undefined => live.get(id),

    /** `listener` hears of each game that leaves memory (finished, and left alone for a while). */
    onEvicted(listener: (id: string) => void): void {
      evicted.push(listener);
    },

    /** Timers held: one per game in memory. */
    get timers(): number {
      return timers.size;
    },

    /** The game's latest version, read in its queue (undefined: no such game). */
    version: (id: string): Promise<number | undefined> => serial(id, async () => (await asPublished(id))?.v),

    /** Games with a save in doubt, to settle before their next action. */
    get inDoubt(): number {
      return saves.inDoubt;
    },

    /** A page of a user's games, newest first, as stored (every change is stored before it is seen). */
    async byUser(userId: string, page: number) {
      const found = await repo.byUser(userId, page);
      // A live game's document lags its journal: the game in memory is the latest.
      return { ...found, games: found.games.map((game) => live.get(game.id) ?? game) };
    },

    /** Whether the user plays a game in progress (of those in memory: every unfinished one is). */
    isPlaying: (userId: string): boolean => playing.has(userId),

    /** Up to `max` games in progress, the last started first: what spectators may pick from. */
    current: (max: number): Game[] =>
      [...live.values()]
        .filter((g) => !isOver(g))
        .slice(-max)
        .reverse(),

    /** Actions queued or running on every game (each game's queue is bounded). */
    get queued(): number {
      return serial.tasks();
    },

    get liveCount(): number {
      let n = 0;
      for (const game of live.values()) if (!isOver(game)) n++;
      return n;
    },
  };
}
export type Games = ReturnType<typeof createGames>;
